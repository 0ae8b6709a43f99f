"""The delivery promise an order carries from funding: dispatch deadline and promised delivery date.

Escrow is its one owner: it fixes the promise when the order is funded and announces it in `order_funded`;
logistics judges the shipment against those facts and never recomputes them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from shared.clock import UtcDateTime, require_utc
from shared.contracts.escrow import DeadlineKind

from .contract import ContractTerms


class DeliveryPromise(BaseModel):
    """Fixed at funding from the contract terms; immutable, later events are judged against it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dispatch_deadline: UtcDateTime
    promised_delivery_date: date
    delivery_late_from: UtcDateTime

    def late_from(self, deadline: DeadlineKind) -> datetime:
        """The instant the promise of that kind is judged against (`promise_broken` reads it)."""
        return self.dispatch_deadline if deadline is DeadlineKind.DISPATCH else self.delivery_late_from


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which local `day` ends (the next local midnight), correct across DST changes."""
    # fold=0 is right on both DST edge cases: a skipped midnight resolves to the transition instant,
    # and a repeated midnight to its first occurrence, which is when the day actually ended.
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).replace(fold=0)
    return midnight.astimezone(UTC)


def make_promise(terms: ContractTerms, funded_at: datetime) -> DeliveryPromise:
    """Dispatch deadline = funding + handling; delivery date = local date of that deadline + transit days."""
    tz = ZoneInfo(terms.destination_timezone)
    deadline = require_utc(funded_at) + terms.handling_time
    # Calendar days in the destination, so a DST change in transit does not shift the date.
    promised = deadline.astimezone(tz).date() + timedelta(days=terms.transit_days)
    return DeliveryPromise(
        dispatch_deadline=deadline,
        promised_delivery_date=promised,
        delivery_late_from=end_of_local_day(promised, tz),
    )
