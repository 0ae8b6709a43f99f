"""Mediation, rule by rule, over in-memory stores."""

from __future__ import annotations

import pytest

from services.disputes.domain.errors import DisputeError, InvalidAmountError, RefundExceedsRefundableError
from services.disputes.domain.mediation import Favour, MediationDecision
from shared.money import Money
from tests.integration.disputes.journey import usd
from tests.support.fakes.disputes import FakeDisputes

from .given import MEDIATOR, under_mediation

# The order was paid 1,000.00 USD, nothing refunded yet.
IN_EUROS = MediationDecision(
    favour=Favour.BUYER_FULL, refund=Money(amount=100_000, currency="EUR"), rationale="not as agreed"
)
OVER_REFUNDABLE = MediationDecision(
    favour=Favour.BUYER_PARTIAL, refund=usd(100_001), rationale="not as agreed"
)


@pytest.mark.parametrize(
    ("decision", "refusal"),
    [(IN_EUROS, InvalidAmountError), (OVER_REFUNDABLE, RefundExceedsRefundableError)],
    ids=["another-currency", "over-the-refundable-amount"],
)
async def test_a_decision_in_another_currency_or_over_the_refundable_amount_is_refused_and_changes_nothing(
    disputes: FakeDisputes, decision: MediationDecision, refusal: type[DisputeError]
) -> None:
    # Given a claim under mediation
    claim = await under_mediation(disputes)
    announced = len(disputes.uow.published)

    # When the mediator decides a refund the order cannot give
    with pytest.raises(refusal):
        await disputes.disputes.mediation.decide(claim.claim_id, MEDIATOR, decision)

    # Then the claim is as it was, and nothing was announced
    assert await disputes.claim(claim.claim_id) == claim
    assert len(disputes.uow.published) == announced
