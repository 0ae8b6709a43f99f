"""The payments desk as a process that stops for good the moment a transaction commits, so that the crash
test can SIGKILL it between its effect and its answer.

    python -m tests.support.idempotency_victim <mongo_url> <db> <keys_dir>

Prints the port it serves on, then `committed` once the first transaction (the payment) has committed;
from then on the process does nothing more: not another write, not a byte of the answer.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.mongo import connect
from shared.security.keys import ensure_dev_keys
from tests.support.payments_desk import PaymentsDesk, desk_verifier, payments_app

_commit = AsyncClientSession.commit_transaction


async def commit_then_stop(self: AsyncClientSession) -> None:
    await _commit(self)
    print("committed", flush=True)
    await asyncio.Event().wait()


async def main(mongo_url: str, db_name: str, keys_dir: str) -> None:
    AsyncClientSession.commit_transaction = commit_then_stop  # type: ignore[method-assign]
    db = connect(mongo_url, app_name="idempotency-victim")[db_name]
    app = payments_app(db, PaymentsDesk(db), desk_verifier(ensure_dev_keys(Path(keys_dir))))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    mongo, database, keys = sys.argv[1:4]
    asyncio.run(main(mongo, database, keys))
