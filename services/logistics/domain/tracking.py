"""Normalised tracking statuses and the merge of carrier events into one current state.

Merge rule (order-independent by construction): the current state is a fold over every distinct
event (deduplicated by `event_id`), sorted by the carrier's timestamp and, for equal timestamps, by
status precedence. During the fold a later event replaces a non-terminal status, except that
`pending` never overrides movement. A terminal status (delivered, lost, damaged, return_to_sender)
is replaced only by a later event that legitimately supersedes it:
- `lost` by any movement status or other terminal one (the carrier found the parcel);
- `delivered` by `damaged` (damage recorded on or after delivery);
- `return_to_sender` by `lost` or `damaged` (the return leg can still go wrong);
- `damaged` by nothing.
Because the fold sees the same sorted set whatever the arrival order, duplicates and out-of-order
deliveries of the same events always yield the same final state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime

from .errors import UnknownTrackingStatusError


class TrackingStatus(StrEnum):
    PENDING = "pending"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    CUSTOMS_HOLD = "customs_hold"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURN_TO_SENDER = "return_to_sender"
    LOST = "lost"
    DAMAGED = "damaged"


S = TrackingStatus
TERMINAL_STATUSES = frozenset({S.DELIVERED, S.LOST, S.DAMAGED, S.RETURN_TO_SENDER})

# Ties on the carrier timestamp: the status further along the journey is applied last and so wins.
_PRECEDENCE: dict[TrackingStatus, int] = {
    status: rank
    for rank, status in enumerate(
        [
            S.PENDING, S.PICKED_UP, S.IN_TRANSIT, S.CUSTOMS_HOLD, S.DELIVERY_FAILED,
            S.OUT_FOR_DELIVERY, S.RETURN_TO_SENDER, S.LOST, S.DELIVERED, S.DAMAGED,
        ]
    )
}  # fmt: skip

_SUPERSEDED_BY: dict[TrackingStatus, frozenset[TrackingStatus]] = {
    S.LOST: frozenset(TrackingStatus) - {S.PENDING, S.LOST},
    S.DELIVERED: frozenset({S.DAMAGED}),
    S.RETURN_TO_SENDER: frozenset({S.LOST, S.DAMAGED}),
    S.DAMAGED: frozenset(),
}


class CarrierEvent(BaseModel):
    """One tracking update from a carrier, already normalised and signature-checked by the adapter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(min_length=1)
    tracking_number: str = Field(min_length=1)
    status: TrackingStatus
    occurred_at: UtcDateTime = Field(description="The carrier's timestamp, not the time we received it.")
    location: str | None = None


class TrackingState(BaseModel):
    """The merged view: current status and the carrier timestamp of the event that set it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: TrackingStatus = TrackingStatus.PENDING
    since: UtcDateTime | None = None


def normalise_status(raw: str, aliases: Mapping[str, TrackingStatus] | None = None) -> TrackingStatus:
    """Map a carrier's status text ('Out for delivery', 'IN-TRANSIT' or a known alias) to a status."""
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    if aliases and key in aliases:
        return aliases[key]
    try:
        return TrackingStatus(key)
    except ValueError:
        raise UnknownTrackingStatusError(f"unknown carrier status {raw!r}") from None


def merge_events(history: Iterable[CarrierEvent], incoming: CarrierEvent) -> tuple[CarrierEvent, ...]:
    """History plus `incoming` unless its id is already there, in fold order."""
    events = list(history)
    if all(e.event_id != incoming.event_id for e in events):
        events.append(incoming)
    return tuple(sorted(events, key=lambda e: (e.occurred_at, _PRECEDENCE[e.status], e.event_id)))


def _accepts(current: TrackingStatus, candidate: TrackingStatus) -> bool:
    if current in TERMINAL_STATUSES:
        return candidate in _SUPERSEDED_BY[current]
    return candidate is not S.PENDING or current is S.PENDING


def current_state(events: Iterable[CarrierEvent]) -> TrackingState:
    """Fold events already in `merge_events` order into the current tracking state."""
    state = TrackingState()
    for event in events:
        if _accepts(state.status, event.status):
            state = TrackingState(status=event.status, since=event.occurred_at)
    return state
