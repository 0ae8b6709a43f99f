from __future__ import annotations

from datetime import timedelta
from itertools import permutations

import pytest

from services.logistics.domain.errors import UnknownTrackingStatusError
from services.logistics.domain.tracking import (
    CarrierEvent,
    TrackingStatus,
    current_state,
    merge_events,
    normalise_status,
)

from .builders import FUNDED_AT, carrier_event

S = TrackingStatus
T0 = FUNDED_AT + timedelta(days=1)


def at(hours: int) -> timedelta:
    return timedelta(hours=hours)


def merged(*events: CarrierEvent) -> TrackingStatus:
    history: tuple[CarrierEvent, ...] = ()
    for event in events:
        history = merge_events(history, event)
    return current_state(history).status


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Out for delivery", S.OUT_FOR_DELIVERY), ("IN-TRANSIT", S.IN_TRANSIT), (" delivered ", S.DELIVERED)],
)
def test_normalise_status_accepts_carrier_spellings(raw: str, expected: TrackingStatus) -> None:
    assert normalise_status(raw) is expected


def test_normalise_status_maps_carrier_specific_codes_through_aliases() -> None:
    assert normalise_status("EXCEPTION_DMG", {"exception_dmg": S.DAMAGED}) is S.DAMAGED


def test_unknown_carrier_status_is_refused() -> None:
    with pytest.raises(UnknownTrackingStatusError):
        normalise_status("teleported")


def test_duplicate_event_is_merged_once() -> None:
    # given a history with a picked_up event
    event = carrier_event("e1", S.PICKED_UP, T0)
    history = merge_events((), event)
    # when the same event id arrives again (even with other content)
    again = merge_events(history, carrier_event("e1", S.LOST, T0 + at(1)))
    # then nothing changes
    assert again == history
    assert current_state(again).status is S.PICKED_UP


def test_final_state_does_not_depend_on_arrival_order() -> None:
    # given a journey with a bogus later-stamped scan after delivery and a duplicate
    journey = [
        carrier_event("e1", S.PICKED_UP, T0),
        carrier_event("e2", S.IN_TRANSIT, T0 + at(5)),
        carrier_event("e3", S.CUSTOMS_HOLD, T0 + at(20)),
        carrier_event("e4", S.OUT_FOR_DELIVERY, T0 + at(40)),
        carrier_event("e5", S.DELIVERED, T0 + at(44)),
        carrier_event("e6", S.IN_TRANSIT, T0 + at(50)),
        carrier_event("e2", S.IN_TRANSIT, T0 + at(5)),
    ]
    # when they arrive in every possible order
    outcomes = {merged(*order) for order in permutations(journey)}
    # then the final state is always delivered
    assert outcomes == {S.DELIVERED}


def test_older_event_arriving_late_does_not_roll_the_status_back() -> None:
    assert (
        merged(carrier_event("e2", S.OUT_FOR_DELIVERY, T0 + at(2)), carrier_event("e1", S.IN_TRANSIT, T0))
        is S.OUT_FOR_DELIVERY
    )


def test_non_terminal_status_follows_the_latest_carrier_timestamp() -> None:
    assert (
        merged(
            carrier_event("e1", S.OUT_FOR_DELIVERY, T0),
            carrier_event("e2", S.DELIVERY_FAILED, T0 + at(3)),
            carrier_event("e3", S.IN_TRANSIT, T0 + at(6)),
        )
        is S.IN_TRANSIT
    )


def test_delivered_stays_delivered_after_later_movement_scans() -> None:
    assert (
        merged(carrier_event("e1", S.DELIVERED, T0), carrier_event("e2", S.OUT_FOR_DELIVERY, T0 + at(1)))
        is S.DELIVERED
    )


def test_lost_parcel_found_later_resumes_its_journey() -> None:
    assert (
        merged(carrier_event("e1", S.LOST, T0), carrier_event("e2", S.DELIVERED, T0 + at(24))) is S.DELIVERED
    )


def test_delivered_becomes_damaged_when_damage_is_recorded_later() -> None:
    assert (
        merged(carrier_event("e1", S.DELIVERED, T0), carrier_event("e2", S.DAMAGED, T0 + at(1))) is S.DAMAGED
    )


def test_damaged_is_never_superseded() -> None:
    assert (
        merged(carrier_event("e1", S.DAMAGED, T0), carrier_event("e2", S.DELIVERED, T0 + at(1))) is S.DAMAGED
    )


def test_return_to_sender_can_still_be_lost_but_not_delivered() -> None:
    rts = carrier_event("e1", S.RETURN_TO_SENDER, T0)
    assert merged(rts, carrier_event("e2", S.LOST, T0 + at(1))) is S.LOST
    assert merged(rts, carrier_event("e3", S.DELIVERED, T0 + at(1))) is S.RETURN_TO_SENDER


def test_equal_timestamps_resolve_by_status_precedence() -> None:
    # given picked_up and in_transit stamped in the same second, arriving in reverse
    # then the status further along the journey wins
    assert merged(carrier_event("b", S.IN_TRANSIT, T0), carrier_event("a", S.PICKED_UP, T0)) is S.IN_TRANSIT


def test_pending_never_overrides_movement() -> None:
    assert (
        merged(carrier_event("e1", S.PICKED_UP, T0), carrier_event("e2", S.PENDING, T0 + at(1)))
        is S.PICKED_UP
    )


def test_state_records_the_carrier_timestamp_of_the_winning_event() -> None:
    history = merge_events(
        merge_events((), carrier_event("e1", S.PICKED_UP, T0)), carrier_event("e2", S.IN_TRANSIT, T0 + at(2))
    )
    assert current_state(history).since == T0 + at(2)
