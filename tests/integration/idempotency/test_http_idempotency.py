"""`Idempotency-Key`: a mutating request has one effect however often, or however concurrently, it is sent."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import ManualClock
from shared.http.app import create_app
from shared.http.idempotency import IDEMPOTENCY_INDEXES, LEASE, MAX_REPLAYED_BYTES, IdempotencyStore
from shared.http.routes import Api, principal
from shared.metrics import PlatformMetrics
from shared.mongo import Document, ensure_indexes
from shared.security.keys import DevKeys
from shared.security.roles import Role
from shared.settings import ServiceSettings
from tests.support.payments_desk import PAY, Client, PaymentsDesk, desk_verifier, headers


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

    # ...then one ran, the rest were told it is running (409) or got its stored response.
    statuses = sorted(response.status for response in responses)
    fresh = [r for r in responses if r.status == 201 and "Idempotent-Replayed" not in r.headers]
    assert set(statuses) <= {201, 409}
    assert len(fresh) == 1
    assert await desk.effects() == 1


async def test_a_request_still_in_progress_is_answered_409(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    desk.hold_next = True
    first = asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
    await asyncio.wait_for(desk.entered.wait(), timeout=10)

    # Bounded: were the key not guarded, this request would wait behind the held handler forever.
    second = await asyncio.wait_for(
        client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")), timeout=10
    )

    assert second.status == 409
    assert (await second.json())["type"] == "https://tradeguard.dev/problems/idempotency-request-in-progress"
    desk.release.set()
    assert (await first).status == 201


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


async def test_an_abandoned_claim_can_be_taken_over_after_its_lease_expires(
    client: Client, keys: DevKeys, desk: PaymentsDesk, clock: ManualClock
) -> None:
    # Given a request that never finishes (its process is as good as dead)...
    desk.hold_next = True
    stuck = asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
    await asyncio.wait_for(desk.entered.wait(), timeout=10)

    # ...when the lease has run out, a retry is allowed to run.
    clock.advance(LEASE + timedelta(seconds=1))
    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    assert retried.status == 201
    assert "Idempotent-Replayed" not in retried.headers
    desk.release.set()
    await stuck


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


async def test_a_request_that_outlived_its_lease_cannot_commit_once_a_retry_took_over(
    client: Client, keys: DevKeys, desk: PaymentsDesk, clock: ManualClock
) -> None:
    # Given a request stalled before its transaction (a paused process) until its lease ran out...
    desk.hold_next = True
    stalled = asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
    await asyncio.wait_for(desk.entered.wait(), timeout=10)
    clock.advance(LEASE + timedelta(seconds=1))

    # ...and a retry that took the claim over and paid
    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert retried.status == 201
    paid = await retried.json()

    # When the stalled request wakes up and tries to commit
    desk.release.set()
    late = await stalled

    # Then it is refused without effect, and the key answers with the retry's payment from now on
    assert late.status == 409
    assert (await late.json())["type"].endswith("/idempotency-request-in-progress")
    assert await desk.effects() == 1
    replayed = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert (await replayed.json())["payment_id"] == paid["payment_id"]


class Statement(BaseModel):
    lines: list[str]


def statements_api(effects: list[str]) -> Api:
    """A route whose answer (2 MB) is larger than any replay is kept for."""
    api = Api("statements")

    @api.post("/v1/statements", response=Statement, status=201, roles={Role.BUYER})
    async def print_statement(request: web.Request) -> Statement:
        effects.append(principal(request).sub)
        return Statement(lines=["x" * 100] * 20_000)

    return api


async def test_a_response_too_large_to_keep_is_answered_once_and_a_retry_learns_it_ran(
    db: AsyncDatabase[Document], keys: DevKeys, clock: ManualClock
) -> None:
    # Given a route answering 2 MB, and a request with an Idempotency-Key that it answers in full
    effects: list[str] = []
    await ensure_indexes(db, [IDEMPOTENCY_INDEXES])
    app = create_app(
        service="statements",
        settings=ServiceSettings(),
        db=db,
        metrics=PlatformMetrics(),
        verifier=desk_verifier(keys),
        apis=[statements_api(effects)],
        readiness=[],
        clock=clock,
    )
    async with TestClient(TestServer(app)) as client:
        first = await client.post("/v1/statements", headers=headers(keys, "statement-1"))
        assert first.status == 201
        assert len(await first.read()) > MAX_REPLAYED_BYTES

        # When it is retried with the same key
        retry = await client.post("/v1/statements", headers=headers(keys, "statement-1"))

        # Then the retry is told it ran (not run again), and the stored record stayed small
        assert retry.status == 409
        assert (await retry.json())["original_status"] == 201
        assert effects == ["buyer-1"]
        record = await db["idempotency_keys"].find_one({"_id": {"$regex": "statement-1"}})
        assert record is not None
        assert record["body"] is None
