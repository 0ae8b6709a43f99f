"""The delivery promise a shipment is judged against: escrow's facts from `order_funded`, kept as given.

Escrow owns the promise (it fixes it at funding from the contract); logistics never recomputes it.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime


class DeliveryPromise(BaseModel):
    """Immutable once received: later events are judged against it, never the other way round."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    funded_at: UtcDateTime
    handling_time: timedelta
    dispatch_deadline: UtcDateTime = Field(description="Last instant at which dispatch is on time.")
    transit_days: int = Field(ge=1)
    destination_timezone: str
    promised_delivery_date: date = Field(description="Local calendar date in the destination's zone.")
    delivery_late_from: UtcDateTime = Field(
        description="First instant at which delivery is late: the end of the promised local day."
    )
