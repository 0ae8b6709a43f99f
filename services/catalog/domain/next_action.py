"""What each catalog work item asks of whom, by when, from the rule that enforces it.

Directory entries and products wait on nobody. A quote waits on its buyer to order before the price lock
ends (`quote.is_current`; the signed quote's `exp` is the same instant); an application with pending documents
waits on the verification desk, which no rule gives a deadline.
"""

from __future__ import annotations

from datetime import datetime

from services.catalog.domain.quote import is_current
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification_queue import ApplicationStatus, application_status
from shared.contracts.catalog import Quote
from shared.next_action import Actor, NextAction


def quote_next_action(quote: Quote, now: datetime) -> NextAction | None:
    """A current quote: the buyer places the order before it expires; an expired one asks nothing."""
    if not is_current(quote, now):
        return None
    return NextAction(actor=Actor.BUYER, action="place_order", due_at=quote.expires_at)


def application_next_action(supplier: Supplier) -> NextAction | None:
    """Pending documents: a verification officer confirms or rejects them; no rule sets a due date."""
    if application_status(supplier) is not ApplicationStatus.PENDING:
        return None
    return NextAction(actor=Actor.VERIFICATION, action="review_documents", due_at=None)
