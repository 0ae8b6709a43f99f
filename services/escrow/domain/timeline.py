"""The order timeline: every service's events about one order, in time order, and who may see which.

Built from events (never from other services' databases), so it can be rebuilt by replaying them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.clock import UtcDateTime

# Who acted, by event type; anything not listed was done by the platform itself ("system").
ACTORS: dict[str, str] = {
    "escrow.order_placed": "buyer",
    "escrow.order_cancelled": "buyer",
    "logistics.shipment_dispatched": "supplier",
    "logistics.inspection_booked": "buyer",
    "logistics.return_label_issued": "buyer",
    "disputes.offer_made": "supplier",
    "disputes.claim_rejected_by_supplier": "supplier",
    "disputes.mediation_started": "ops:mediator",
    "disputes.evidence_requested": "ops:mediator",
    "disputes.after_sales_requested": "buyer",
    "disputes.after_sales_fulfilled": "supplier",
    "catalog.review_published": "buyer",
    "catalog.review_revised": "buyer",
}

# Fields whose value names the actor more precisely than the table (e.g. confirmed by buyer or timer).
ACTOR_FIELDS = ("confirmed_by", "opened_by", "escalated_by", "settled_by")

# Entries only the buyer and ops see: a warning about the supplier's messages is addressed to the buyer.
BUYER_AND_OPS_ONLY = frozenset({"disputes.message_flagged"})

# Payload fields worth showing on a timeline entry (ids are implied by the order; no free text).
DETAIL_FIELDS = frozenset(
    {"reason", "status", "kind", "deadline", "decision", "outcome", "passed", "carrier", "tracking_number"}
)


class TimelineEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    message_id: str
    order_id: str
    service: str
    event: str
    time: UtcDateTime
    actor: str
    details: dict[str, Any]


class OrderParties(BaseModel):
    model_config = ConfigDict(frozen=True)

    order_id: str
    buyer_id: str | None = None
    supplier_id: str | None = None


def entry_from_event(
    *, message_id: str, event_type: str, occurred_at: datetime, payload: dict[str, Any]
) -> TimelineEntry | None:
    """The timeline entry of an event, or None for events about no particular order."""
    order_id = payload.get("order_id")
    if not isinstance(order_id, str):
        return None
    return TimelineEntry(
        message_id=message_id,
        order_id=order_id,
        service=event_type.split(".", 1)[0],
        event=event_type.split(".", 1)[1],
        time=occurred_at,
        actor=_actor(event_type, payload),
        details={key: value for key, value in payload.items() if key in DETAIL_FIELDS or _is_money(value)},
    )


def supplier_entries(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """What the order's supplier sees of its timeline; its buyer and ops see every entry."""
    return [entry for entry in entries if f"{entry.service}.{entry.event}" not in BUYER_AND_OPS_ONLY]


def _actor(event_type: str, payload: dict[str, Any]) -> str:
    for field in ACTOR_FIELDS:
        value = payload.get(field)
        if isinstance(value, str):
            return value
    return ACTORS.get(event_type, "system")


def _is_money(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"amount", "currency"}
