"""Parked messages are operable: an operator lists them with their error and payload, replays one or a whole
queue once the cause is fixed (the inbox applies a message once however often it is replayed), or discards
one with a reason that the audit keeps. Only `ops:platform` reaches them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from structlog.testing import capture_logs

from bench.toy import ToyConsumer, ToySettings, handled, record_thing
from deploy.local.polling import eventually
from shared.clock import Clock
from shared.parking.lot import PARKED
from shared.platform import Platform
from shared.service import ServiceParts, build_web_app
from tests.integration.conftest import PlatformFactory
from tests.support.services import RunningService, StartService, Tokens

PARKED_MESSAGES = "/v1/ops/parked-messages"


@dataclass
class ParkingScene:
    """A consumer service (the ops API over HTTP) whose handler a rule can refuse, and a producer."""

    service: RunningService
    producer: Platform
    toy: ToyConsumer
    operator: str

    @property
    def queue(self) -> str:
        return self.service.platform.topology.queue("things")

    async def refuse_and_park(self, *thing_ids: str) -> list[dict[str, Any]]:
        """Given things a rule refuses, each parked: the listed items, once all are there."""
        self.toy.effects.refused.update(thing_ids)
        for thing_id in thing_ids:
            await record_thing(self.producer, thing_id)

        async def listed() -> bool:
            return len(await self.listed()) == len(thing_ids)

        await eventually(listed)
        return await self.listed()

    async def listed(self) -> list[dict[str, Any]]:
        response = await self.service.call(
            "GET", PARKED_MESSAGES, params={"queue": self.queue}, token=self.operator
        )
        assert response.status == 200, await response.text()
        return list((await response.json())["items"])

    def applied(self, thing_id: str) -> Callable[[], Awaitable[bool]]:
        async def once() -> bool:
            return await self.toy.effects.applied(thing_id) == 1

        return once


@pytest.fixture
async def scene(start_service: StartService, make_platform: PlatformFactory, tokens: Tokens) -> ParkingScene:
    toy = ToyConsumer()

    def build(settings: ToySettings, *, clock: Clock | None = None) -> web.Application:
        platform = Platform(settings, clock=clock)
        return build_web_app(platform, ServiceParts(subscriptions=toy(platform)))

    service = await start_service(build, ToySettings, service_name="toyconsumer")
    producer = await make_platform("toyproducer", amqp_queue_type="classic")
    return ParkingScene(service, producer, toy, tokens.ops("platform-op-1", "ops:platform"))


async def test_a_message_a_rule_rejects_is_parked_at_once_with_the_rules_reason_and_listed(
    scene: ParkingScene,
) -> None:
    # Given a thing a rule refuses
    # When its event arrives
    [item] = await scene.refuse_and_park("refused-1")

    # Then it is listed after one attempt, with the rule's reason and its payload
    assert item["error"] == "rejected: a rule refuses refused-1"
    assert item["rejected"] is True
    assert item["attempts"] == 1
    assert item["queue"] == scene.queue
    assert item["routing_key"] == "toyproducer.thing_happened.v1"
    assert item["payload"]["payload"]["thing_id"] == "refused-1"
    assert scene.toy.effects.attempts["refused-1"] in (1, 2)  # a batch, then alone: never a retry tier
    # And it reads alone by its id, and the gauge counts it on its queue
    response = await scene.service.call("GET", f"{PARKED_MESSAGES}/{item['id']}", token=scene.operator)
    assert (await response.json())["message_id"] == item["message_id"]
    gauge = scene.service.platform.metrics.registry.get_sample_value(
        "tradeguard_parked_messages", {"queue": scene.queue}
    )
    assert gauge == 1


async def test_a_replay_after_the_cause_is_fixed_applies_the_message_exactly_once(
    scene: ParkingScene,
) -> None:
    # Given a parked message whose cause is then fixed
    [item] = await scene.refuse_and_park("refused-2")
    parked = await scene.service.platform.db[PARKED].find_one({"_id": item["id"]})
    assert parked is not None
    scene.toy.effects.refused.clear()

    # When an operator replays it
    response = await scene.service.call(
        "POST", f"{PARKED_MESSAGES}/{item['id']}/replay", token=scene.operator
    )

    # Then it is applied once and leaves the list
    assert response.status == 202, await response.text()
    assert await response.json() == {"queue": scene.queue, "replayed": 1}
    await eventually(scene.applied("refused-2"))
    assert await scene.listed() == []

    # And when it is replayed again (as if the record's removal had been lost), the inbox skips it
    await scene.service.platform.db[PARKED].insert_one(parked)
    again = await scene.service.call("POST", f"{PARKED_MESSAGES}/{item['id']}/replay", token=scene.operator)
    assert again.status == 202

    async def skipped() -> bool:
        return handled(scene.service.platform, "duplicate") >= 1

    await eventually(skipped)
    assert await scene.toy.effects.applied("refused-2") == 1


async def test_replaying_a_queue_sends_every_message_parked_on_it_back_once(scene: ParkingScene) -> None:
    # Given three parked messages whose cause is then fixed
    await scene.refuse_and_park("many-1", "many-2", "many-3")
    scene.toy.effects.refused.clear()

    # When an operator replays their queue
    response = await scene.service.call(
        "POST", f"{PARKED_MESSAGES}/replay", json={"queue": scene.queue}, token=scene.operator
    )

    # Then all three go back, are applied once each, and the list is empty
    assert await response.json() == {"queue": scene.queue, "replayed": 3}
    for thing_id in ("many-1", "many-2", "many-3"):
        await eventually(scene.applied(thing_id))
    assert await scene.listed() == []
    gauge = scene.service.platform.metrics.registry.get_sample_value(
        "tradeguard_parked_messages", {"queue": scene.queue}
    )
    assert gauge == 0


async def test_discarding_with_a_reason_is_audited_and_the_message_leaves_the_list(
    scene: ParkingScene,
) -> None:
    # Given a parked message
    [item] = await scene.refuse_and_park("refused-3")

    # When an operator discards it with a reason
    with capture_logs() as logs:
        response = await scene.service.call(
            "POST",
            f"{PARKED_MESSAGES}/{item['id']}/discard",
            json={"reason": "Duplicate of an order cancelled by hand."},
            token=scene.operator,
        )

    # Then the answer, the audit and the log line say who, when and why
    assert response.status == 200, await response.text()
    discarded = await response.json()
    assert discarded["discarded_by"] == "platform-op-1"
    assert discarded["reason"] == "Duplicate of an order cancelled by hand."
    [entry] = await scene.service.platform.parking_lot.audit_of(item["id"])
    assert (entry.action, entry.by, entry.role) == ("discarded", "platform-op-1", "ops:platform")
    assert entry.reason == "Duplicate of an order cancelled by hand."
    [line] = [log for log in logs if log["event"] == "parked_message_discarded"]
    assert (line["by"], line["reason"]) == ("platform-op-1", entry.reason)
    # And the message is gone: from the list, by its id, and never applied
    assert await scene.listed() == []
    gone = await scene.service.call("GET", f"{PARKED_MESSAGES}/{item['id']}", token=scene.operator)
    assert gone.status == 404
    assert await scene.toy.effects.applied("refused-3") == 0


async def test_only_platform_operators_reach_parked_messages(scene: ParkingScene, tokens: Tokens) -> None:
    [item] = await scene.refuse_and_park("refused-4")
    calls: list[tuple[str, str, Any]] = [
        ("GET", PARKED_MESSAGES, None),
        ("GET", f"{PARKED_MESSAGES}/{item['id']}", None),
        ("POST", f"{PARKED_MESSAGES}/{item['id']}/replay", None),
        ("POST", f"{PARKED_MESSAGES}/replay", {"queue": scene.queue}),
        ("POST", f"{PARKED_MESSAGES}/{item['id']}/discard", {"reason": "Not mine to drop."}),
    ]
    others = [tokens.buyer("b-1"), tokens.supplier("s-1"), tokens.ops("fin-1", "ops:finance")]
    for method, path, body in calls:
        for token in others:
            response = await scene.service.call(method, path, json=body, token=token)
            assert response.status == 403, (method, path, await response.text())
        anonymous = await scene.service.call(method, path, json=body)
        assert anonymous.status == 401
    assert [listed["id"] for listed in await scene.listed()] == [item["id"]]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", f"{PARKED_MESSAGES}/not-an-id", None, 404),
        ("GET", f"{PARKED_MESSAGES}/00000000-0000-5000-8000-000000000000", None, 404),
        ("POST", f"{PARKED_MESSAGES}/not-an-id/replay", None, 404),
        ("POST", f"{PARKED_MESSAGES}/not-an-id/discard", {"reason": "Garbled."}, 404),
        ("POST", f"{PARKED_MESSAGES}/not-an-id/discard", {"reason": " "}, 422),
        ("POST", f"{PARKED_MESSAGES}/not-an-id/discard", {}, 422),
        ("POST", f"{PARKED_MESSAGES}/replay", {"queue": ""}, 422),
        ("POST", f"{PARKED_MESSAGES}/replay", {"queue": "q", "all": True}, 422),
        ("GET", f"{PARKED_MESSAGES}?limit=0", None, 422),
        ("GET", f"{PARKED_MESSAGES}?cursor=garbled", None, 422),
    ],
)
async def test_a_garbled_id_is_not_found_and_bad_input_is_a_problem(
    scene: ParkingScene, method: str, path: str, body: Any, status: int
) -> None:
    response = await scene.service.call(method, path, json=body, token=scene.operator)
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
