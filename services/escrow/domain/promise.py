"""The delivery promise an order carries from funding: dispatch deadline and promised delivery date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict

from shared.contracts.escrow import DeadlineKind

from .contract import ContractTerms


class DeliveryPromise(BaseModel):
    """Fixed at funding, the same way logistics fixes the shipment's promise from the same terms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dispatch_deadline: AwareDatetime
    promised_delivery_date: date
    delivery_late_from: AwareDatetime

    def late_from(self, deadline: DeadlineKind) -> datetime:
        """First instant at which the promise of that kind is broken."""
        return self.dispatch_deadline if deadline is DeadlineKind.DISPATCH else self.delivery_late_from


def make_promise(terms: ContractTerms, funded_at: datetime) -> DeliveryPromise:
    """Dispatch deadline = funding + handling; delivery date = local date of that deadline + transit days."""
    tz = ZoneInfo(terms.destination_timezone)
    deadline = funded_at.astimezone(UTC) + terms.handling_time
    promised = deadline.astimezone(tz).date() + timedelta(days=terms.transit_days)
    # The promised day ends at the next local midnight; fold=0 picks the first one across a DST change.
    end_of_day = datetime.combine(promised + timedelta(days=1), time(0), tzinfo=tz).replace(fold=0)
    return DeliveryPromise(
        dispatch_deadline=deadline,
        promised_delivery_date=promised,
        delivery_late_from=end_of_day.astimezone(UTC),
    )
