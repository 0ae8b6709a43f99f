"""Contract amendments: proposed by one party, agreed by the other, kept as the next contract version."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.escrow import OrderKind, OrderStatus
from shared.time_zones import destination_zone

from .contract import Contract, ContractAmendment, ContractTerms, check_terms_for_kind
from .errors import AmendmentConflictError, AmendmentNotAllowedError
from .order import Order, OrderChange
from .terms import Party

_AMENDABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION})
# Fixed once paid: the total is what escrow holds, and the delivery promise was made at funding.
_FIXED_ONCE_PAID = ("total", "handling_time", "transit_days", "destination_country", "destination_timezone")
# A Guaranteed order travels on its route's promise as catalog quoted it (the offer's dispatch time within
# catalog's Guaranteed window, the lane's transit days and zone): not negotiable, even before payment.
_FIXED_FOR_GUARANTEED = (
    "handling_time",
    "transit_days",
    "destination_country",
    "destination_timezone",
    "route_id",
    "origin_country",
)


def propose_amendment(order: Order, *, party: Party, terms: ContractTerms, now: datetime) -> OrderChange:
    """One party proposes new terms; nothing changes in the contract until the other accepts."""
    _check_amendable(order)
    if order.pending_amendment is not None:
        raise AmendmentConflictError(f"amendment v{order.pending_amendment.version} is still pending")
    check_terms_for_kind(order.kind, terms)
    # The promise ends at midnight in this zone: it must be one of the destination's own.
    destination_zone(terms.destination_country, terms.destination_timezone)
    if order.kind is OrderKind.GUARANTEED:
        _check_kept(order.contract.terms, terms, _FIXED_FOR_GUARANTEED, "a Guaranteed order")
    if order.payment_id is not None:
        _check_kept(order.contract.terms, terms, _FIXED_ONCE_PAID, "a paid order")
    amendment = ContractAmendment(
        version=order.contract.version + 1, terms=terms, proposed_by=party, proposed_at=now
    )
    return OrderChange(order=order.updated(pending_amendment=amendment))


def accept_amendment(order: Order, *, party: Party, version: int, now: datetime) -> OrderChange:
    """The other party accepts: the terms become the next, immutable contract version."""
    if order.contract.version >= version:
        return OrderChange.unchanged(order)
    amendment = _pending(order, version)
    if party is amendment.proposed_by:
        raise AmendmentConflictError("the proposing party cannot accept its own amendment")
    _check_amendable(order)
    if order.payment_id is not None:
        # The order may have been paid while the amendment waited.
        _check_kept(order.contract.terms, amendment.terms, _FIXED_ONCE_PAID, "a paid order")
    contract = Contract(version=version, terms=amendment.terms, agreed_at=now)
    return OrderChange(order=order.updated(contracts=(*order.contracts, contract), pending_amendment=None))


def decline_amendment(order: Order, *, version: int) -> OrderChange:
    """Either party declines (or withdraws) the pending amendment; the contract stays as it was."""
    if order.pending_amendment is None and order.contract.version < version:
        return OrderChange.unchanged(order)
    _pending(order, version)
    return OrderChange(order=order.updated(pending_amendment=None))


def _pending(order: Order, version: int) -> ContractAmendment:
    amendment = order.pending_amendment
    if amendment is None or amendment.version != version:
        raise AmendmentConflictError(f"no pending amendment v{version} on order {order.order_id}")
    return amendment


def _check_amendable(order: Order) -> None:
    if order.status not in _AMENDABLE:
        raise AmendmentNotAllowedError(f"order {order.order_id} is {order.status.value}: terms are final")


def _check_kept(current: ContractTerms, proposed: ContractTerms, fixed: tuple[str, ...], what: str) -> None:
    changed = [name for name in fixed if getattr(current, name) != getattr(proposed, name)]
    if changed:
        raise AmendmentNotAllowedError(f"{what} cannot change {', '.join(changed)}")
