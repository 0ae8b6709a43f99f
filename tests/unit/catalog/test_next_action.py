"""Next actions of the catalog's work items, due exactly when the rule that enforces them acts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.domain.certifications import VerificationStatus
from services.catalog.domain.errors import QuoteExpiredError
from services.catalog.domain.next_action import application_next_action, quote_next_action
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.quote import (
    QuoteRequest,
    QuoteStatus,
    ensure_quote_current,
    issue_quote,
    quote_status,
)
from shared.contracts.catalog import Quote
from shared.next_action import Actor, NextAction
from tests.unit.catalog.builders import NOW, USD_RATE, certification, product, supplier

POLICY = QuotePolicy(validity=timedelta(hours=24))
TICK = timedelta(microseconds=1)
PENDING = VerificationStatus.PENDING


def quote() -> Quote:
    request = QuoteRequest(product_id="prod-1", quantity=500, destination="DE")
    return issue_quote("q-1", product(), "buyer-1", request, None, (), POLICY, NOW, USD_RATE, "CN")


def test_a_valid_quote_asks_its_buyer_to_place_the_order_before_the_price_lock_ends() -> None:
    # given a quote issued now
    locked = quote()
    # when asked just before it expires, then the buyer orders by the quote's expiry
    assert quote_next_action(locked, locked.expires_at - TICK) == NextAction(
        actor=Actor.BUYER, action="place_order", due_at=locked.expires_at
    )
    assert quote_status(locked, locked.expires_at - TICK) is QuoteStatus.VALID


def test_a_quotes_due_at_is_the_instant_the_expiry_rule_refuses_it() -> None:
    locked = quote()
    due = quote_next_action(locked, NOW)
    assert due is not None
    assert due.due_at is not None
    # the rule still accepts the quote a moment before the due time and refuses it at the due time
    assert ensure_quote_current(locked, due.due_at - TICK) is locked
    with pytest.raises(QuoteExpiredError):
        ensure_quote_current(locked, due.due_at)


def test_an_expired_quote_asks_nothing() -> None:
    locked = quote()
    assert quote_next_action(locked, locked.expires_at) is None
    assert quote_status(locked, locked.expires_at) is QuoteStatus.EXPIRED


def test_an_application_with_a_pending_document_waits_on_the_verification_desk_without_a_deadline() -> None:
    applicant = supplier(certifications=(certification(), certification(number="C-2", status=PENDING)))
    assert application_next_action(applicant) == NextAction(
        actor=Actor.VERIFICATION, action="review_documents", due_at=None
    )


@pytest.mark.parametrize(
    "certifications",
    [(), (certification(),), (certification(status=VerificationStatus.REJECTED),)],
    ids=["no documents", "verified", "rejected"],
)
def test_a_supplier_without_pending_documents_asks_nothing_of_the_desk(
    certifications: tuple[object, ...],
) -> None:
    assert application_next_action(supplier(certifications=certifications)) is None
