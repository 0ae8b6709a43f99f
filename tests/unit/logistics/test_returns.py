from __future__ import annotations

from datetime import timedelta

import pytest

from services.logistics.domain.easy_return import EligibilityReason, ReturnableOrder
from services.logistics.domain.errors import (
    NotEligibleForEasyReturnError,
    ReturnTransitionRefusedError,
    WrongReturnWarehouseError,
)
from services.logistics.domain.returns import (
    EasyReturn,
    ReturnLabel,
    ReturnStatus,
    issue_dispute_return_label,
    issue_return_label,
    mark_return_in_transit,
    receive_return,
)
from shared.contracts.logistics import ReturnLabelIssued, ReturnReason, ReturnReceived
from shared.messaging.envelope import Event
from tests.support.protection import easy_return

from .builders import FUNDED_AT, POLICY, usd

DELIVERED_AT = FUNDED_AT + timedelta(days=8)
NOW = DELIVERED_AT + timedelta(days=2)
LABEL = ReturnLabel(carrier="dhl", tracking_number="RT-1", warehouse_id="wh-us-east")
ORDER = ReturnableOrder(
    order_id="order-1",
    shipment_id="shipment-1",
    buyer_id="buyer-1",
    supplier_id="supplier-1",
    easy_return=easy_return("USD"),
    product_total=usd("900.00"),
    shipping_total=usd("100.00"),
    delivered_at=DELIVERED_AT,
)


def issued(already_returned: bool = False) -> tuple[EasyReturn, list[Event]]:
    ret, events = issue_return_label(
        return_id="r-1",
        order=ORDER,
        reason=ReturnReason.QUALITY_NOT_AS_AGREED,
        label=LABEL,
        already_returned=already_returned,
        now=NOW,
        policy=POLICY,
    )
    return ret, events


def test_eligible_order_gets_a_free_label_to_the_local_warehouse() -> None:
    ret, events = issued()
    assert ret.status is ReturnStatus.LABEL_ISSUED
    assert ret.refund_amount == usd("1000.00")
    assert len(events) == 1
    assert isinstance(events[0], ReturnLabelIssued)
    assert (events[0].warehouse_id, events[0].tracking_number) == ("wh-us-east", "RT-1")


def test_ineligible_order_is_refused_with_the_reason() -> None:
    with pytest.raises(NotEligibleForEasyReturnError) as refused:
        issued(already_returned=True)
    assert refused.value.reason == EligibilityReason.ALREADY_RETURNED


def test_warehouse_receipt_of_a_return_in_transit_owes_the_refund() -> None:
    # given a return picked up by the carrier
    ret, _ = issued()
    ret, _ = mark_return_in_transit(ret, NOW + timedelta(days=1))
    # when the label's warehouse scans it
    received, events = receive_return(ret, warehouse_id="wh-us-east", now=NOW + timedelta(days=4))
    # then it is received and return_received carries the refund amount
    assert received.status is ReturnStatus.RECEIVED
    assert events == [
        ReturnReceived(
            order_id="order-1",
            shipment_id="shipment-1",
            buyer_id="buyer-1",
            supplier_id="supplier-1",
            return_id="r-1",
            warehouse_id="wh-us-east",
            refund_amount=usd("1000.00"),
            received_at=NOW + timedelta(days=4),
        )
    ]


def test_return_cannot_be_received_before_it_is_in_transit() -> None:
    ret, _ = issued()
    with pytest.raises(ReturnTransitionRefusedError):
        receive_return(ret, warehouse_id="wh-us-east", now=NOW)


def test_received_return_cannot_move_again() -> None:
    ret, _ = issued()
    ret, _ = mark_return_in_transit(ret, NOW)
    ret, _ = receive_return(ret, warehouse_id="wh-us-east", now=NOW)
    with pytest.raises(ReturnTransitionRefusedError):
        mark_return_in_transit(ret, NOW)
    with pytest.raises(ReturnTransitionRefusedError):
        receive_return(ret, warehouse_id="wh-us-east", now=NOW)


def test_only_the_label_warehouse_can_receive_the_return() -> None:
    ret, _ = issued()
    ret, _ = mark_return_in_transit(ret, NOW)
    with pytest.raises(WrongReturnWarehouseError):
        receive_return(ret, warehouse_id="wh-elsewhere", now=NOW)


def test_refused_easy_return_tells_the_buyer_why() -> None:
    # given an order already returned once
    # when a second label is asked for
    with pytest.raises(NotEligibleForEasyReturnError) as refused:
        issued(already_returned=True)
    # then the refusal's message, the problem's detail, names the reason
    assert EligibilityReason.ALREADY_RETURNED.value in str(refused.value)


def test_a_dispute_return_names_its_claim_from_label_to_receipt() -> None:
    # given a dispute decision that requires the goods back
    ret, issued_events = issue_dispute_return_label(
        return_id="r-2", claim_id="claim-7", order=ORDER, label=LABEL, now=NOW
    )
    # when the warehouse receives them
    ret, _ = mark_return_in_transit(ret, NOW)
    _, received_events = receive_return(ret, warehouse_id="wh-us-east", now=NOW)
    # then the label and the receipt both name the claim, so disputes can settle it
    (label_issued,) = issued_events
    (received,) = received_events
    assert isinstance(label_issued, ReturnLabelIssued)
    assert isinstance(received, ReturnReceived)
    assert (ret.claim_id, label_issued.claim_id, received.claim_id) == ("claim-7", "claim-7", "claim-7")


def test_a_return_records_when_the_carrier_picked_it_up_and_when_the_warehouse_scanned_it() -> None:
    # given an issued return label
    ret, _ = issued()
    # when the carrier picks the parcel up and the warehouse scans it a day later
    in_transit, _ = mark_return_in_transit(ret, NOW)
    received, _ = receive_return(in_transit, warehouse_id="wh-us-east", now=NOW + timedelta(days=1))
    # then each step keeps its instant
    assert in_transit.in_transit_at == NOW
    assert (received.in_transit_at, received.received_at) == (NOW, NOW + timedelta(days=1))
