"""SLA monitor: missed dispatch and delivery deadlines are reported once each, even by two replicas."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from deploy.local.polling import eventually
from services.logistics.adapters.carrier import NoCarrierConfigured
from services.logistics.app import monitor, over_mongo
from services.logistics.settings import LogisticsSettings
from shared.clock import ManualClock
from shared.timers import DueTimer
from tests.integration.logistics.scenario import NOW, dispatch, funded, shipment_of, start_logistics
from tests.support.services import EventInjector, RunningService, StartService, Tokens

DISPATCH_DEADLINE = NOW + timedelta(hours=72)
LATE_FROM = NOW + timedelta(days=9)


def monitor_replica(service: RunningService) -> DueTimer:
    """Another instance of the monitor on the same collection, as a second replica would run it."""
    settings = service.platform.settings
    assert isinstance(settings, LogisticsSettings)
    logistics = over_mongo(service.platform, settings, NoCarrierConfigured()).logistics
    return monitor(service.platform, settings, logistics)


async def _breaches(service: RunningService) -> tuple[list[str], list[str]]:
    dispatch_missed = await service.published("logistics.dispatch_deadline_missed")
    delivery_missed = await service.published("logistics.delivery_deadline_missed")
    return [e["order_id"] for e in dispatch_missed], [e["order_id"] for e in delivery_missed]


async def test_missed_deadlines_are_reported_once_each_and_not_before_they_pass(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    clock = ManualClock(NOW)
    logistics = await start_logistics(start_service, clock=clock)
    monitor = monitor_replica(logistics)
    await inject.publish(funded("o-late"))
    await inject.publish(funded("o-on-time"))
    on_time_id = (await shipment_of(logistics, tokens, "o-on-time"))["shipment_id"]
    await shipment_of(logistics, tokens, "o-late")
    clock.set(NOW + timedelta(hours=24))
    assert await dispatch(logistics, tokens, on_time_id) == 200

    # When the clock reaches the dispatch deadline exactly, nothing is late yet
    clock.set(DISPATCH_DEADLINE)
    await monitor.sweep()
    assert await _breaches(logistics) == ([], [])

    # When it passes the deadline and the monitor sweeps twice
    clock.set(DISPATCH_DEADLINE + timedelta(seconds=1))
    await monitor.sweep()
    await monitor.sweep()
    # Then only the undispatched order's dispatch breach is reported, once
    assert await _breaches(logistics) == (["o-late"], [])

    # When the promised delivery day ends with neither delivered
    clock.set(LATE_FROM)
    await monitor.sweep()
    await monitor.sweep()
    # Then each delivery breach is reported once
    _, delivery_missed = await _breaches(logistics)
    assert sorted(delivery_missed) == ["o-late", "o-on-time"]
    # And no shipment is due any more
    assert await logistics.platform.db["shipments"].count_documents({"sla_due_at": {"$ne": None}}) == 0


async def test_two_monitor_replicas_sweeping_together_report_each_breach_once(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    clock = ManualClock(NOW)
    logistics = await start_logistics(start_service, clock=clock, sla_batch_size=7)
    orders = [f"o-{i}" for i in range(20)]
    for order_id in orders:
        await inject.publish(funded(order_id))

    async def all_open() -> bool:
        return await logistics.platform.db["shipments"].count_documents({}) == len(orders)

    await eventually(all_open)

    # When every deadline has passed and two replicas sweep at the same moment
    clock.set(LATE_FROM + timedelta(hours=1))
    first, second = monitor_replica(logistics), monitor_replica(logistics)
    await asyncio.gather(first.sweep(), second.sweep(), first.sweep(), second.sweep())

    # Then each breach of each shipment was reported exactly once
    dispatch_missed, delivery_missed = await _breaches(logistics)
    assert sorted(dispatch_missed) == sorted(orders)
    assert sorted(delivery_missed) == sorted(orders)
