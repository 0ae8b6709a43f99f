"""Placing, funding, producing, shipping, delivering and cancelling an order."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.escrow import (
    BuyerTier,
    OrderCancelled,
    OrderFunded,
    OrderKind,
    OrderPlaced,
    OrderStatus,
    RefundCause,
)
from shared.money import Money

from .contract import Contract, ContractTerms, check_terms_for_kind
from .errors import OrderAlreadyPaidError, PaymentMismatchError, TransitionNotAllowedError
from .journal_entries import funding_entry
from .order import ALLOWED_TRANSITIONS, Order, OrderChange, RefundRecord, parties
from .promise import make_promise
from .refunds import RefundRequest, checked_refund, refund_entry, refund_issued

CANCELLATION_REFUND_ID = "cancellation"


def place_order(
    *,
    order_id: str,
    kind: OrderKind,
    buyer_id: str,
    buyer_tier: BuyerTier,
    supplier_id: str,
    terms: ContractTerms,
    now: datetime,
) -> OrderChange:
    """Open an order awaiting payment, with version 1 of its contract agreed now."""
    check_terms_for_kind(kind, terms)
    order = Order(
        order_id=order_id,
        kind=kind,
        buyer_id=buyer_id,
        supplier_id=supplier_id,
        buyer_tier=buyer_tier,
        status=OrderStatus.AWAITING_PAYMENT,
        contracts=(Contract(version=1, terms=terms, agreed_at=now),),
        placed_at=now,
        paid=Money.zero(terms.currency),
    )
    event = OrderPlaced(
        **parties(order),
        order_kind=kind,
        product_id=terms.product_id,
        quantity=terms.quantity,
        total=terms.total,
        destination_country=terms.destination_country,
        guaranteed=kind is OrderKind.GUARANTEED,
        inspection_required=terms.inspection_required,
        placed_at=now,
    )
    return OrderChange(order=order, events=(event,))


def fund_order(order: Order, *, payment_id: str, amount: Money, now: datetime) -> OrderChange:
    """Payment captured into escrow; a duplicate webhook for the same payment changes nothing."""
    if order.payment_id == payment_id:
        return OrderChange.unchanged(order)
    if order.status is OrderStatus.CANCELLED and order.payment_id is None:
        return _refund_late_payment(order, payment_id=payment_id, amount=amount, now=now)
    if order.payment_id is not None:
        raise OrderAlreadyPaidError(f"order {order.order_id} is already paid by {order.payment_id}")
    terms = order.contract.terms
    if amount != terms.total:
        raise PaymentMismatchError(f"captured {amount.format()}, contract total is {terms.total.format()}")
    promise = make_promise(terms, now)
    new = order.moved_to(
        OrderStatus.FUNDED, payment_id=payment_id, paid=amount, funded_at=now, promise=promise
    )
    event = OrderFunded(
        **parties(new),
        order_kind=new.kind,
        payment_id=payment_id,
        paid=amount,
        product_id=terms.product_id,
        quantity=terms.quantity,
        destination_country=terms.destination_country,
        destination_timezone=terms.destination_timezone,
        guaranteed=new.kind is OrderKind.GUARANTEED,
        inspection_required=terms.inspection_required,
        after_sales=terms.after_sales,
        protection=terms.protection,
        goods_total=terms.unit_price.times(terms.quantity),
        shipping=terms.shipping,
        route_id=terms.route_id,
        origin_country=terms.origin_country,
        handling_time=terms.handling_time,
        transit_days=terms.transit_days,
        dispatch_deadline=promise.dispatch_deadline,
        promised_delivery_date=promise.promised_delivery_date,
        delivery_late_from=promise.delivery_late_from,
        funded_at=now,
    )
    entry = funding_entry(order_id=new.order_id, payment_id=payment_id, amount=amount, booked_at=now)
    return OrderChange(order=new, events=(event,), entries=(entry,))


def _refund_late_payment(order: Order, *, payment_id: str, amount: Money, now: datetime) -> OrderChange:
    """The buyer paid while the order was being cancelled: the money enters escrow and goes straight back.

    Refusing the payment instead would leave it captured at the provider with nobody owing it back.
    """
    paid = order.updated(payment_id=payment_id, paid=amount)
    record = _refund_in_full(paid, now)
    new = paid.updated(refunds=(*paid.refunds, record))
    return OrderChange(
        order=new,
        events=(refund_issued(new, record, after_cancellation=True),),
        entries=(
            funding_entry(order_id=new.order_id, payment_id=payment_id, amount=amount, booked_at=now),
            refund_entry(new, record),
        ),
    )


def start_production(order: Order) -> OrderChange:
    """The supplier started making the goods (optional step between funding and shipment)."""
    if order.status is OrderStatus.IN_PRODUCTION:
        return OrderChange.unchanged(order)
    return OrderChange(order=order.moved_to(OrderStatus.IN_PRODUCTION))


def record_shipment(order: Order, shipped_at: datetime) -> OrderChange:
    """Logistics reported the dispatch; a frozen order only moves the state it will resume to."""
    if order.shipped_at is not None:
        return OrderChange.unchanged(order)
    return OrderChange(order=_advance(order, OrderStatus.SHIPPED, shipped_at=shipped_at))


def record_delivery(order: Order, delivered_at: datetime) -> OrderChange:
    """Logistics reported the delivery: the auto-confirm timer and the money-back window start."""
    if order.delivered_at is not None:
        return OrderChange.unchanged(order)
    if order.shipped_at is None:
        # Out of order with the dispatch event: refused so the consumer retries it later.
        raise TransitionNotAllowedError(f"order {order.order_id} has no recorded shipment yet")
    return OrderChange(order=_advance(order, OrderStatus.DELIVERED, delivered_at=delivered_at))


def cancel_order(order: Order, *, reason: str, now: datetime) -> OrderChange:
    """Cancel before shipment; a paid order gets everything back from escrow."""
    if order.status is OrderStatus.CANCELLED:
        return OrderChange.unchanged(order)
    if order.paid.amount == 0:
        new = order.moved_to(OrderStatus.CANCELLED, cancelled_at=now)
        return OrderChange(order=new, events=(_cancelled(new, reason, now),))
    order.check_transition(OrderStatus.CANCELLED)
    record = _refund_in_full(order, now)
    new = order.moved_to(OrderStatus.CANCELLED, cancelled_at=now, refunds=(*order.refunds, record))
    return OrderChange(
        order=new,
        events=(_cancelled(new, reason, now), refund_issued(new, record)),
        entries=(refund_entry(new, record),),
    )


def _refund_in_full(order: Order, now: datetime) -> RefundRecord:
    """The cancellation's refund: everything still refundable goes back to the buyer."""
    request = RefundRequest(
        refund_id=CANCELLATION_REFUND_ID, cause=RefundCause.CANCELLATION, amount=order.refundable
    )
    return checked_refund(order, request, now)


def _cancelled(order: Order, reason: str, now: datetime) -> OrderCancelled:
    return OrderCancelled(**parties(order), reason=reason, refunded=order.refunded_from(), cancelled_at=now)


def _advance(order: Order, target: OrderStatus, **stamp: object) -> Order:
    stage = order.frozen_from if order.status is OrderStatus.FROZEN else order.status
    if stage is OrderStatus.PARTIALLY_REFUNDED:
        # The rest of the order goes on; only the timestamp matters for its windows and timers.
        return order.updated(**stamp)
    if stage is None or target not in ALLOWED_TRANSITIONS[stage]:
        raise TransitionNotAllowedError(
            f"order {order.order_id} cannot go from {order.status.value} to {target}"
        )
    if order.status is OrderStatus.FROZEN:
        return order.updated(frozen_from=target, **stamp)
    return order.moved_to(target, **stamp)
