"""A process that dies by SIGKILL inside a transaction, leaving it open on the server (the sessions tests).

    python -m tests.support.transaction_victim <mongo_url> <db> <amqp_url> <namespace> <replica>

It writes the document `held` of `effects` in a transaction, says so on stdout, and dies before committing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bench.toy import toy_settings
from shared.mongo import Session
from shared.platform import Platform

HELD = "held"


async def main(mongo_url: str, db: str, amqp_url: str, namespace: str, replica: str) -> None:
    settings = toy_settings(
        service="toyvictim",
        mongo_url=mongo_url,
        db=db,
        amqp_url=amqp_url,
        namespace=namespace,
        replica=replica,
    )
    platform = Platform(settings)
    await platform.start()

    async def work(session: Session) -> None:
        await platform.db["effects"].update_one({"_id": HELD}, {"$inc": {"applied": 1}}, session=session)
        print("holding", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    await platform.transaction(work)


if __name__ == "__main__":
    mongo, database, amqp, ns, name = sys.argv[1:6]
    asyncio.run(main(mongo, database, amqp, ns, name))
