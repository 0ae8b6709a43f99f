"""Order timeline rules: built from events, each party sees its own orders, ops see all."""

from __future__ import annotations

from datetime import UTC, datetime

from services.escrow.domain.timeline import TimelineEntry, entry_from_event, supplier_entries

AT = datetime(2026, 5, 1, tzinfo=UTC)


def entry(event_type: str, **payload: object) -> TimelineEntry | None:
    return entry_from_event(
        message_id=f"m-{event_type}", event_type=event_type, occurred_at=AT, payload=payload
    )


def test_an_event_about_an_order_becomes_an_entry_naming_service_event_and_actor() -> None:
    made = entry_from_event(
        message_id="m1",
        event_type="logistics.shipment_dispatched",
        occurred_at=AT,
        payload={"order_id": "o-1", "carrier": "DHL", "buyer_id": "b-1", "note": "free text is dropped"},
    )
    assert made is not None
    assert (made.service, made.event, made.actor, made.time) == (
        "logistics",
        "shipment_dispatched",
        "supplier",
        AT,
    )
    assert made.details == {"carrier": "DHL"}


def test_events_about_no_order_have_no_entry() -> None:
    assert entry("catalog.supplier_badges_changed", supplier_id="s-1") is None


def test_the_actor_field_of_an_event_wins_over_the_default() -> None:
    made = entry_from_event(
        message_id="m2",
        event_type="escrow.receipt_confirmed",
        occurred_at=AT,
        payload={"order_id": "o-1", "confirmed_by": "auto_confirm"},
    )
    assert made is not None
    assert made.actor == "auto_confirm"


def test_money_fields_are_kept_on_the_entry() -> None:
    made = entry_from_event(
        message_id="m3",
        event_type="escrow.refund_issued",
        occurred_at=AT,
        payload={"order_id": "o-1", "amount": {"amount": 1500, "currency": "USD"}},
    )
    assert made is not None
    assert made.details == {"amount": {"amount": 1500, "currency": "USD"}}


def test_the_supplier_does_not_see_the_warnings_addressed_to_the_buyer() -> None:
    # Given an order's timeline with a warning flagged to the buyer
    flagged = entry_from_event(
        message_id="m4", event_type="disputes.message_flagged", occurred_at=AT, payload={"order_id": "o-1"}
    )
    placed = entry_from_event(
        message_id="m5", event_type="escrow.order_placed", occurred_at=AT, payload={"order_id": "o-1"}
    )
    assert flagged is not None
    assert placed is not None

    # Then the supplier's timeline leaves it out (who sees the order at all: shared/security/access.py)
    assert supplier_entries([placed, flagged]) == [placed]


def test_an_event_done_by_nobody_in_particular_is_the_platforms_own() -> None:
    made = entry("escrow.funds_released", order_id="o-1")
    assert made is not None
    assert made.actor == "system"


def test_the_service_is_the_first_part_of_the_event_type_and_the_event_the_rest() -> None:
    made = entry("disputes.claim.reopened", order_id="o-1")
    assert made is not None
    assert (made.service, made.event) == ("disputes", "claim.reopened")


def test_only_money_is_kept_beside_the_detail_fields() -> None:
    made = entry(
        "escrow.order_placed",
        order_id="o-1",
        quantity=100,
        product_ids=["amount", "currency"],
        total={"amount": 1500, "currency": "USD"},
    )
    assert made is not None
    assert made.details == {"total": {"amount": 1500, "currency": "USD"}}
