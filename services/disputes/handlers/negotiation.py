"""Claims and their negotiation: open, offer, accept, reject, escalate,
withdraw; and the claim deadlines (supplier response, automatic escalation, evidence) when they pass."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.disputes.domain import claim_opening, negotiation
from services.disputes.domain.claim import Claim, next_timer_due
from services.disputes.domain.timers import fire_due_timer
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.money import Money
from shared.security.jwt import Principal
from shared.security.roles import Role
from shared.unit_of_work import Transaction

from .claims import Casework


def new_claim_id() -> str:
    return f"clm_{uuid.uuid4().hex}"


class Negotiation:
    def __init__(self, casework: Casework) -> None:
        self._casework = casework

    async def open_claim(
        self,
        order_id: str,
        who: Principal,
        *,
        reason: ClaimReason,
        requested_outcome: RequestedOutcome,
        amount: Money | None,
        description: str,
    ) -> Claim:
        """The buyer opens a claim on its order; one open claim per order and reason."""
        work = self._casework
        return await work.open(
            order_id,
            lambda order, open_claims: claim_opening.open_claim(
                order,
                claim_id=new_claim_id(),
                buyer_id=who.sub,
                reason=reason,
                requested_outcome=requested_outcome,
                amount=amount,
                description=description,
                open_claims=open_claims,
                now=work.now(),
                policy=work.policy,
            ),
        )

    async def offer(
        self, claim_id: str, who: Principal, *, outcome: RequestedOutcome, refund: Money | None, note: str
    ) -> Claim:
        work = self._casework
        return await work.change(
            claim_id,
            lambda claim, order: negotiation.make_offer(
                claim, order, supplier_id=who.sub, outcome=outcome, refund=refund, note=note, now=work.now()
            ),
        )

    async def accept(self, claim_id: str, who: Principal) -> Claim:
        """The supplier grants the claim as asked, or the buyer takes the supplier's offer."""
        work = self._casework
        if who.role == Role.SUPPLIER:
            return await work.change(
                claim_id,
                lambda claim, order: negotiation.accept_claim(
                    claim, order, supplier_id=who.sub, now=work.now()
                ),
            )
        return await work.change(
            claim_id,
            lambda claim, order: negotiation.accept_offer(claim, order, buyer_id=who.sub, now=work.now()),
        )

    async def reject(self, claim_id: str, who: Principal) -> Claim:
        work = self._casework
        return await work.change(
            claim_id, lambda claim, _: negotiation.reject_claim(claim, supplier_id=who.sub, now=work.now())
        )

    async def escalate(self, claim_id: str, who: Principal) -> Claim:
        work = self._casework
        return await work.change(
            claim_id, lambda claim, _: negotiation.escalate(claim, buyer_id=who.sub, now=work.now())
        )

    async def withdraw(self, claim_id: str, who: Principal) -> Claim:
        work = self._casework
        return await work.change(
            claim_id, lambda claim, _: negotiation.withdraw_claim(claim, buyer_id=who.sub, now=work.now())
        )

    async def deadline_passed(self, tx: Transaction, claim_id: str, now: datetime) -> None:
        """Timer fire: supplier silence (day 3), automatic escalation (day 7), lapsed evidence requests."""
        claims = self._casework.claims
        stored = await claims.get(claim_id, session=tx.session)
        if stored is None:
            raise LookupError(f"no claim {claim_id}")  # the timer just claimed it: it exists
        claim, events = fire_due_timer(stored.value, now)
        # The timer cleared the due date; set the next one from the claim's (possibly new) status.
        claim = claim.model_copy(update={"timer_due_at": next_timer_due(claim)})
        await claims.save(claim, expected_version=stored.version, session=tx.session)
        await tx.emit_all(events)
