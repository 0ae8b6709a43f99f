"""Platform mediation: take the case, gather its file, request evidence, decide once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.disputes.domain import mediation
from services.disputes.domain.claim import Claim
from services.disputes.domain.conversation import StoredRecord, VerifyResult
from services.disputes.domain.mediation import MediationDecision
from services.disputes.domain.orders import OrderRecord
from shared.contracts.disputes import EvidenceParty
from shared.security.jwt import Principal

from .claims import Casework
from .ports import Conversation


@dataclass(frozen=True)
class CaseRecords:
    """Everything on file for a claim: its order as disputes knows it, the order's other claims and log."""

    claim: Claim
    other_claims: list[Claim]
    order: OrderRecord
    records: list[StoredRecord]
    chain: VerifyResult


class Mediation:
    def __init__(self, casework: Casework, conversation: Conversation) -> None:
        self._casework = casework
        self._conversation = conversation

    async def take_case(self, claim_id: str, who: Principal) -> Claim:
        """A mediator takes an escalated claim; only that mediator decides it."""
        work = self._casework
        return await work.change(
            claim_id, lambda claim, _: mediation.start_mediation(claim, mediator_id=who.sub, now=work.now())
        )

    async def request_evidence(
        self,
        claim_id: str,
        who: Principal,
        *,
        party: EvidenceParty,
        description: str,
        respond_within_days: int | None,
    ) -> Claim:
        work = self._casework
        return await work.change(
            claim_id,
            lambda claim, _: mediation.request_evidence(
                claim,
                mediator_id=who.sub,
                request_id=f"evr_{uuid.uuid4().hex[:12]}",
                party=party,
                description=description,
                now=work.now(),
                policy=work.policy,
                respond_within_days=respond_within_days,
            ),
        )

    async def decide(self, claim_id: str, who: Principal, decision: MediationDecision) -> Claim:
        """The assigned mediator's decision settles the claim once; refunds and returns follow as a saga."""
        work = self._casework
        return await work.change(
            claim_id,
            lambda claim, order: mediation.decide(
                claim, order, mediator_id=who.sub, decision=decision, now=work.now()
            ),
        )

    async def case_file(self, claim: Claim) -> CaseRecords:
        order = await self._casework.order(claim.order_id)
        assert order is not None  # a claim is only opened on a known order
        return CaseRecords(
            claim=claim,
            other_claims=[c for c in await self._casework.claims_of(claim.order_id) if c != claim],
            order=order,
            records=await self._conversation.records(claim.order_id),
            chain=await self._conversation.verify(claim.order_id),
        )
