"""After-sales requests: only for labelled products, fulfilled within the SLA or turned into a claim."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.after_sales import (
    AfterSalesRequest,
    AfterSalesStatus,
    convert_overdue_request,
    fulfil_after_sales,
    request_after_sales,
)
from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.claim_opening import open_claim
from services.disputes.domain.errors import (
    AfterSalesNotOfferedError,
    AfterSalesSlaPassedError,
    NotOrderBuyerError,
    OrderNotDeliveredError,
)
from services.disputes.domain.orders import OrderView
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import (
    AfterSalesFulfilled,
    AfterSalesRequested,
    ClaimOpened,
    ClaimOpener,
    ClaimReason,
    RequestedOutcome,
)
from tests.unit.disputes.factories import BUYER, NOW, POLICY, SUPPLIER, delivered_order, funded_order

LABEL = AfterSalesLabel.ONSITE_SERVICE_AND_PARTS
SLA_END = NOW + timedelta(days=7)


def _labelled_order() -> OrderView:
    return delivered_order(labels=(LABEL,))


def _request(order: OrderView | None = None) -> AfterSalesRequest:
    request, _ = request_after_sales(
        order or _labelled_order(),
        request_id="as-1",
        buyer_id=BUYER,
        label=LABEL,
        description="spindle motor failed, on-site repair needed",
        now=NOW,
        policy=POLICY,
    )
    return request


def test_buyer_requests_a_labelled_service_due_within_the_sla() -> None:
    # when
    request, events = request_after_sales(
        _labelled_order(),
        request_id="as-1",
        buyer_id=BUYER,
        label=LABEL,
        description="",
        now=NOW,
        policy=POLICY,
    )

    # then
    assert request.status is AfterSalesStatus.OPEN
    assert request.due_at == SLA_END
    assert request.timer_due_at == SLA_END
    assert [type(e) for e in events] == [AfterSalesRequested]


def test_service_not_sold_with_the_product_cannot_be_requested() -> None:
    with pytest.raises(AfterSalesNotOfferedError):
        request_after_sales(
            delivered_order(),
            request_id="as-1",
            buyer_id=BUYER,
            label=LABEL,
            description="",
            now=NOW,
            policy=POLICY,
        )


def test_only_the_orders_buyer_requests_after_sales() -> None:
    with pytest.raises(NotOrderBuyerError):
        request_after_sales(
            _labelled_order(),
            request_id="as-1",
            buyer_id="other",
            label=LABEL,
            description="",
            now=NOW,
            policy=POLICY,
        )


def test_after_sales_needs_delivered_goods() -> None:
    with pytest.raises(OrderNotDeliveredError):
        _request(funded_order(labels=(LABEL,)))


def test_supplier_fulfils_within_the_sla() -> None:
    # when
    request, events = fulfil_after_sales(_request(), supplier_id=SUPPLIER, now=SLA_END - timedelta(hours=1))

    # then
    assert request.status is AfterSalesStatus.FULFILLED
    assert request.timer_due_at is None
    assert [type(e) for e in events] == [AfterSalesFulfilled]


def test_fulfilment_after_the_sla_is_refused() -> None:
    with pytest.raises(AfterSalesSlaPassedError):
        fulfil_after_sales(_request(), supplier_id=SUPPLIER, now=SLA_END)


def test_unfulfilled_request_becomes_an_after_sales_claim_in_mediation() -> None:
    # when
    request, claim, events = convert_overdue_request(
        _request(), _labelled_order(), claim_id="claim-9", open_claims=[], now=SLA_END, policy=POLICY
    )

    # then
    assert request.status is AfterSalesStatus.CONVERTED_TO_CLAIM
    assert request.claim_id == "claim-9"
    assert claim is not None
    assert claim.reason is ClaimReason.AFTER_SALES_NOT_PROVIDED
    assert claim.requested_outcome is RequestedOutcome.AFTER_SALES_SERVICE
    assert claim.opened_by is ClaimOpener.PLATFORM
    assert claim.status is ClaimStatus.ESCALATED
    assert [type(e) for e in events] == [ClaimOpened]


def test_request_is_not_converted_before_its_sla_ends() -> None:
    request = _request()

    assert convert_overdue_request(
        request,
        _labelled_order(),
        claim_id="claim-9",
        open_claims=[],
        now=SLA_END - timedelta(seconds=1),
        policy=POLICY,
    ) == (request, None, [])


def test_conversion_happens_once() -> None:
    # given
    converted, _, _ = convert_overdue_request(
        _request(), _labelled_order(), claim_id="claim-9", open_claims=[], now=SLA_END, policy=POLICY
    )

    # when
    again = convert_overdue_request(
        converted, _labelled_order(), claim_id="claim-10", open_claims=[], now=SLA_END, policy=POLICY
    )

    # then
    assert again == (converted, None, [])


def test_a_second_overdue_request_joins_the_open_after_sales_claim() -> None:
    # given an after-sales claim already open for the order
    _, running, _ = convert_overdue_request(
        _request(), _labelled_order(), claim_id="claim-9", open_claims=[], now=SLA_END, policy=POLICY
    )
    assert running is not None
    second = _request().model_copy(update={"request_id": "as-2"})

    # when
    request, claim, events = convert_overdue_request(
        second, _labelled_order(), claim_id="claim-10", open_claims=[running], now=SLA_END, policy=POLICY
    )

    # then
    assert request.claim_id == "claim-9"
    assert (claim, events) == (None, [])


def test_fulfilment_records_when_the_service_was_done() -> None:
    # given an open request
    done_at = SLA_END - timedelta(days=2)

    # when the supplier fulfils it
    request, _ = fulfil_after_sales(_request(), supplier_id=SUPPLIER, now=done_at)

    # then the request keeps the instant
    assert request.fulfilled_at == done_at


def test_the_claim_of_an_overdue_request_names_the_request_it_came_from() -> None:
    # when
    _, claim, events = convert_overdue_request(
        _request(), _labelled_order(), claim_id="claim-9", open_claims=[], now=SLA_END, policy=POLICY
    )

    # then
    assert claim is not None
    assert claim.source == "after_sales_request:as-1"
    assert [e.source for e in events if isinstance(e, ClaimOpened)] == ["after_sales_request:as-1"]


def test_an_overdue_request_does_not_join_an_open_claim_for_another_reason() -> None:
    # given the buyer's open defect claim on the same order
    order = _labelled_order()
    defect, _ = open_claim(
        order,
        claim_id="claim-1",
        buyer_id=BUYER,
        reason=ClaimReason.DEFECTIVE,
        requested_outcome=RequestedOutcome.REPLACEMENT,
        amount=None,
        description="spindle motor dead on arrival",
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )

    # when the after-sales request runs past its SLA
    request, claim, _ = convert_overdue_request(
        _request(), order, claim_id="claim-9", open_claims=[defect], now=SLA_END, policy=POLICY
    )

    # then it becomes an after-sales claim of its own
    assert claim is not None
    assert (request.claim_id, claim.reason) == ("claim-9", ClaimReason.AFTER_SALES_NOT_PROVIDED)
