"""`Idempotency-Key`: a mutating request has one effect however often, or however concurrently, it is sent."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import ManualClock
from shared.http.app import create_app
from shared.http.idempotency import IDEMPOTENCY_INDEXES, MAX_REPLAYED_BYTES, IdempotencyStore, record_key
from shared.http.routes import Api, principal
from shared.metrics import PlatformMetrics
from shared.mongo import Document, Session, ensure_indexes, run_in_transaction
from shared.security.keys import DevKeys
from shared.security.roles import Role
from shared.settings import ServiceSettings
from tests.support.payments_desk import PAY, Client, PaymentsDesk, desk_verifier, headers

# The lease an earlier version's claims held for.
EARLIER_LEASE = timedelta(seconds=10)


async def test_a_retry_with_the_same_key_and_body_replays_the_response_and_has_no_second_effect(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    first = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    assert first.status == retry.status == 201
    assert await retry.json() == await first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert retry.content_type == "application/json"
    assert await desk.effects() == 1


async def test_the_same_key_with_another_body_is_a_422_problem(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    reused = await client.post("/v1/payments", json={**PAY, "amount_minor": 1}, headers=headers(keys, "k-1"))

    assert reused.status == 422
    assert reused.content_type == "application/problem+json"
    assert (await reused.json())["type"] == "https://tradeguard.dev/problems/idempotency-key-reused"
    assert await desk.effects() == 1


async def test_concurrent_requests_with_one_key_have_exactly_one_effect(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given the first request held inside the handler, when nine more arrive with the same key...
    desk.hold_next = True
    requests = [
        asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
        for _ in range(10)
    ]
    await asyncio.wait_for(desk.entered.wait(), timeout=10)
    desk.release.set()
    responses = await asyncio.gather(*requests)

    # ...then one committed, and every other got its answer: their work rolled back on its record
    fresh = [r for r in responses if "Idempotent-Replayed" not in r.headers]
    assert [response.status for response in responses] == [201] * 10
    assert len(fresh) == 1
    assert len({(await response.json())["payment_id"] for response in responses}) == 1
    assert await desk.effects() == 1


async def test_a_server_error_releases_the_key_so_the_client_can_retry(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    desk.fail_next = True
    failed = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    assert failed.status == 500
    assert retried.status == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert await desk.effects() == 1


async def test_a_claim_an_earlier_version_left_holds_its_key_until_its_lease_ran_out(
    client: Client, keys: DevKeys, desk: PaymentsDesk, db: AsyncDatabase[Document], clock: ManualClock
) -> None:
    # Given the claim an earlier version wrote before running a request (rolling upgrade), lease still live
    lease_until = clock.now() + EARLIER_LEASE
    await db.idempotency_keys.insert_one(
        {
            "_id": record_key("buyer-1", "POST", "/v1/payments", "k-1"),
            "state": "in_progress",
            "body_sha256": hashlib.sha256(json.dumps(PAY).encode()).hexdigest(),
            "lease": "earlier",
            "lease_until": lease_until,
            "created_at": clock.now(),
        }
    )

    # When the request is retried while the lease holds, it is told to come back, with nothing done
    held_off = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert held_off.status == 409
    assert (await held_off.json())["type"].endswith("/idempotency-request-in-progress")
    assert await desk.effects() == 0

    # Then, once the lease ran out (its process died), the retry runs
    clock.advance(EARLIER_LEASE + timedelta(seconds=1))
    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert retried.status == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert await desk.effects() == 1


async def test_a_retry_of_an_answered_request_gets_its_answer_even_when_running_it_again_fails(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given a payment answered
    first = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert first.status == 201

    # When its retry runs the handler again (only the stored record stops it) and that fails this time
    desk.fail_next = True
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then the retry still gets the first answer, and nothing more was paid
    assert retry.status == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await retry.json() == await first.json()
    assert await desk.effects() == 1


async def test_keys_are_scoped_per_caller(client: Client, keys: DevKeys, desk: PaymentsDesk) -> None:
    mine = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1", buyer="buyer-1"))
    theirs = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1", buyer="buyer-2"))

    assert mine.status == theirs.status == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert await desk.effects() == 2


async def test_a_record_stored_before_the_string_key_still_answers_its_retry_after_the_upgrade(
    client: Client, keys: DevKeys, desk: PaymentsDesk, db: AsyncDatabase[Document], clock: ManualClock
) -> None:
    # Given a request answered, its record as the earlier version kept it (its _id a document)
    first = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-old"))
    record = await db.idempotency_keys.find_one_and_delete({})
    assert record is not None
    scope, method, path, key = json.loads(record["_id"])
    earlier = {**record, "_id": {"scope": scope, "method": method, "path": path, "key": key}}
    await db.idempotency_keys.insert_one(earlier)

    # When the new version starts (both of two replicas)
    stores = [IdempotencyStore(db, clock, deadline_seconds=4.0) for _ in range(2)]
    moved = await asyncio.gather(*(store.rekey_earlier_records() for store in stores))

    # Then the record is kept once, under its string key, and the retry is answered from it
    assert sum(moved) >= 1
    assert await db.idempotency_keys.count_documents({}) == 1
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-old"))
    assert retry.status == first.status == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await desk.effects() == 1


async def test_records_expire_through_a_ttl_index(client: Client, db: AsyncDatabase[Document]) -> None:
    indexes = await db.idempotency_keys.index_information()

    assert any(index.get("expireAfterSeconds") == 24 * 3600 for index in indexes.values())


async def test_a_request_that_stalled_while_its_retry_committed_rolls_back_and_answers_as_the_retry(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given a request stalled inside its work (a paused process)...
    desk.hold_next = True
    stalled = asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
    await asyncio.wait_for(desk.entered.wait(), timeout=10)

    # ...and its retry, which runs at once (no lease to wait out) and pays
    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert retried.status == 201
    assert "Idempotent-Replayed" not in retried.headers
    paid = await retried.json()

    # When the stalled request wakes up and tries to commit
    desk.release.set()
    late = await stalled

    # Then its payment rolls back, and it answers with the retry's payment, as the key does from now on
    assert late.status == 201
    assert late.headers["Idempotent-Replayed"] == "true"
    assert (await late.json())["payment_id"] == paid["payment_id"]
    assert await desk.effects() == 1


class Statement(BaseModel):
    lines: list[str]


def statements_api(db: AsyncDatabase[Document]) -> Api:
    """A route whose answer (2 MB) is larger than any replay is kept for; it notes each statement printed."""
    api = Api("statements")

    @api.post("/v1/statements", response=Statement, status=201, roles={Role.BUYER})
    async def print_statement(request: web.Request) -> Statement:
        async def note(session: Session) -> None:
            await db.printed.insert_one({"for": principal(request).sub}, session=session)

        await run_in_transaction(db.client, note)
        return Statement(lines=["x" * 100] * 20_000)

    return api


async def test_a_response_too_large_to_keep_is_answered_once_and_a_retry_learns_it_ran(
    db: AsyncDatabase[Document], keys: DevKeys, clock: ManualClock
) -> None:
    # Given a route answering 2 MB, and a request with an Idempotency-Key that it answers in full
    await ensure_indexes(db, [IDEMPOTENCY_INDEXES])
    app = create_app(
        service="statements",
        settings=ServiceSettings(),
        db=db,
        metrics=PlatformMetrics(),
        verifier=desk_verifier(keys),
        apis=[statements_api(db)],
        readiness=[],
        clock=clock,
    )
    async with TestClient(TestServer(app)) as client:
        first = await client.post("/v1/statements", headers=headers(keys, "statement-1"))
        assert first.status == 201
        assert len(await first.read()) > MAX_REPLAYED_BYTES

        # When it is retried with the same key
        retry = await client.post("/v1/statements", headers=headers(keys, "statement-1"))

        # Then the retry is told it ran (its own work rolled back), and the stored record stayed small
        assert retry.status == 409
        assert (await retry.json())["original_status"] == 201
        assert [printed["for"] async for printed in db.printed.find()] == ["buyer-1"]
        record = await db["idempotency_keys"].find_one({"_id": {"$regex": "statement-1"}})
        assert record is not None
        assert record["body"] is None
