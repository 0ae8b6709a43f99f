"""The contract snapshot is immutable; amendments become new versions only when both parties agree."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.escrow.domain.amendments import accept_amendment, decline_amendment, propose_amendment
from services.escrow.domain.contract import DocumentHash
from services.escrow.domain.errors import AmendmentConflictError, AmendmentNotAllowedError, QuoteRequiredError
from services.escrow.domain.lifecycle import fund_order
from services.escrow.domain.terms import Party
from shared.contracts.escrow import OrderKind
from shared.money import MAX_MINOR_UNITS, AmountOutOfRange, Money

from .factories import T0, funded, money, placed, shipped, terms

SHA = "a" * 64


def test_contract_total_is_quantity_times_unit_price_plus_shipping() -> None:
    assert terms("KWD", quantity=10).total == money(10 * 3_125 + 12_500, "KWD")


def test_contract_terms_are_immutable() -> None:
    with pytest.raises(ValidationError):
        terms().quantity = 5  # type: ignore[misc]


def test_contract_terms_refuse_mixed_currencies_and_unknown_time_zones() -> None:
    with pytest.raises(ValidationError):
        terms("USD", shipping=money(100, "EUR"))
    with pytest.raises(ValidationError):
        terms("USD", destination_timezone="Mars/Olympus")


@pytest.mark.parametrize("handling", [timedelta(0), timedelta(hours=-1)])
def test_contract_terms_refuse_a_handling_time_that_is_not_positive(handling: timedelta) -> None:
    with pytest.raises(ValidationError, match="handling time must be positive"):
        terms("USD", handling_time=handling)


def test_uploaded_agreements_are_pinned_by_sha256() -> None:
    assert DocumentHash(name="spec.pdf", sha256=SHA).sha256 == SHA
    with pytest.raises(ValidationError):
        DocumentHash(name="spec.pdf", sha256="not-a-hash")


def test_an_amendment_accepted_by_the_other_party_becomes_the_next_version() -> None:
    order = placed("USD")
    new_terms = terms("USD", quantity=120, documents=(DocumentHash(name="v2.pdf", sha256=SHA),))

    proposed = propose_amendment(order, party=Party.SUPPLIER, terms=new_terms, now=T0).order
    accepted = accept_amendment(proposed, party=Party.BUYER, version=2, now=T0 + timedelta(hours=1)).order

    assert proposed.contract.version == 1  # nothing changes until accepted
    assert accepted.contract.version == 2
    assert accepted.contract.terms.quantity == 120
    assert accepted.contracts[0].terms.quantity == 100  # the earlier version is kept as it was
    assert accepted.pending_amendment is None


def test_the_proposing_party_cannot_accept_its_own_amendment() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.BUYER, terms=terms(quantity=90), now=T0).order

    with pytest.raises(AmendmentConflictError):
        accept_amendment(proposed, party=Party.BUYER, version=2, now=T0)


def test_accepting_an_amendment_twice_changes_nothing() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.BUYER, terms=terms(quantity=90), now=T0).order
    accepted = accept_amendment(proposed, party=Party.SUPPLIER, version=2, now=T0).order

    assert not accept_amendment(accepted, party=Party.SUPPLIER, version=2, now=T0).changed


def test_a_declined_amendment_leaves_the_contract_as_it_was() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.BUYER, terms=terms(quantity=90), now=T0).order

    declined = decline_amendment(proposed, version=2).order

    assert declined.contract.version == 1
    assert declined.pending_amendment is None
    with pytest.raises(AmendmentConflictError):
        accept_amendment(declined, party=Party.SUPPLIER, version=2, now=T0)
    # a repeated decline finds nothing pending and changes nothing
    again = decline_amendment(declined, version=2)
    assert (again.changed, again.order) == (False, declined)


def test_an_amendment_already_agreed_cannot_be_declined() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.BUYER, terms=terms(quantity=90), now=T0).order
    accepted = accept_amendment(proposed, party=Party.SUPPLIER, version=2, now=T0).order

    with pytest.raises(AmendmentConflictError):
        decline_amendment(accepted, version=2)


def test_amended_terms_of_a_standard_order_keep_a_quote() -> None:
    with pytest.raises(QuoteRequiredError):
        propose_amendment(placed("USD"), party=Party.SUPPLIER, terms=terms(quote_id=None), now=T0)


def test_one_amendment_at_a_time() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.BUYER, terms=terms(quantity=90), now=T0).order

    with pytest.raises(AmendmentConflictError):
        propose_amendment(proposed, party=Party.SUPPLIER, terms=terms(quantity=80), now=T0)


def test_a_paid_order_cannot_amend_its_total_or_delivery_promise() -> None:
    # the refusal says why the term is fixed and which term it is
    with pytest.raises(AmendmentNotAllowedError, match=r"^a paid order cannot change total$"):
        propose_amendment(funded("USD"), party=Party.SUPPLIER, terms=terms(quantity=120), now=T0)
    with pytest.raises(AmendmentNotAllowedError, match=r"^a paid order cannot change transit_days$"):
        propose_amendment(funded("USD"), party=Party.SUPPLIER, terms=terms(transit_days=20), now=T0)


@pytest.mark.parametrize(
    "change",
    [
        {"handling_time": timedelta(days=10)},
        {"transit_days": 3},
        {"destination_timezone": "America/Chicago"},
    ],
)
def test_a_guaranteed_order_keeps_its_routes_promise_even_before_payment(change: dict[str, Any]) -> None:
    # given a Guaranteed order placed on its route's promise, not yet paid
    order = placed("USD", kind=OrderKind.GUARANTEED)
    # when a party proposes other delivery terms, then it is refused, naming the term
    with pytest.raises(
        AmendmentNotAllowedError, match=rf"^a Guaranteed order cannot change {next(iter(change))}$"
    ):
        propose_amendment(order, party=Party.SUPPLIER, terms=terms(**change), now=T0)
    # and terms outside the promise may still be amended
    specs = terms(product_specs={"material": "stainless steel"})
    assert propose_amendment(order, party=Party.BUYER, terms=specs, now=T0).order.pending_amendment


def test_a_paid_order_may_amend_specs() -> None:
    new_terms = terms(product_specs={"material": "stainless steel"})

    proposed = propose_amendment(funded("USD"), party=Party.BUYER, terms=new_terms, now=T0).order

    assert accept_amendment(proposed, party=Party.SUPPLIER, version=2, now=T0).order.contract.version == 2


def test_an_amendment_pending_when_the_order_is_paid_cannot_change_the_paid_total() -> None:
    proposed = propose_amendment(placed("USD"), party=Party.SUPPLIER, terms=terms(quantity=120), now=T0).order
    paid = fund_order(proposed, payment_id="pay-1", amount=money(214_900), now=T0).order

    with pytest.raises(AmendmentNotAllowedError, match=r"^a paid order cannot change total$"):
        accept_amendment(paid, party=Party.BUYER, version=2, now=T0)


def test_terms_are_final_once_shipped() -> None:
    with pytest.raises(AmendmentNotAllowedError):
        propose_amendment(shipped("USD"), party=Party.BUYER, terms=terms(), now=T0)


def test_terms_whose_total_leaves_the_amount_bound_are_refused_naming_the_total() -> None:
    # Given a unit price at the bound, a thousand times over (2**62 in an amendment once broke payment)
    huge = Money(amount=MAX_MINOR_UNITS, currency="USD")

    # When the terms are made, then they are refused before anything is stored
    with pytest.raises(AmountOutOfRange) as refused:
        terms(quantity=1_000, unit_price=huge)
    assert refused.value.field == "total"
