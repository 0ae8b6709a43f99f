"""An order's hash-chained conversation: messages (watched by the off-platform detector) and evidence."""

from __future__ import annotations

from services.disputes.domain.claim import Claim
from services.disputes.domain.conversation import AuthorRole, RecordKind, StoredRecord, VerifyResult, append
from services.disputes.domain.mediation import answer_evidence_request
from services.disputes.domain.off_platform import OffPlatformRule, flag_message
from shared.security.jwt import Principal
from shared.security.roles import Role
from shared.unit_of_work import Transaction

from .claims import Casework
from .ports import Conversation


def author_role(who: Principal) -> AuthorRole:
    if who.role == Role.BUYER:
        return AuthorRole.BUYER
    return AuthorRole.SUPPLIER if who.role == Role.SUPPLIER else AuthorRole.MEDIATOR


class OrderConversations:
    def __init__(
        self, casework: Casework, conversation: Conversation, rules: tuple[OffPlatformRule, ...]
    ) -> None:
        self._casework = casework
        self._conversation = conversation
        self._rules = rules

    async def post_message(
        self, order_id: str, who: Principal, body: str, attachment_hashes: tuple[str, ...]
    ) -> StoredRecord:
        """Append a message; one that pushes off-platform dealings is flagged and announced."""

        async def work(tx: Transaction) -> StoredRecord:
            return await self._append(tx, order_id, who, RecordKind.MESSAGE, body, attachment_hashes)

        return await self._casework.uow.run(work)

    async def submit_evidence(
        self,
        claim: Claim,
        who: Principal,
        body: str,
        attachment_hashes: tuple[str, ...],
        request_id: str | None,
    ) -> StoredRecord:
        """Add evidence to the order's chain, answering the evidence request `request_id` if given."""
        casework = self._casework

        async def work(tx: Transaction) -> StoredRecord:
            stored = await self._append(
                tx, claim.order_id, who, RecordKind.EVIDENCE, body, attachment_hashes, claim.claim_id
            )
            if request_id is not None:
                seq = stored.record.seq
                await casework.change_in(
                    tx,
                    claim.claim_id,
                    lambda claim, _: answer_evidence_request(
                        claim, request_id=request_id, party_id=who.sub, evidence_seq=seq, now=casework.now()
                    ),
                )
            return stored

        return await casework.uow.run(work)

    async def records(
        self, order_id: str, *, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredRecord]:
        return await self._conversation.records(order_id, after_seq=after_seq, limit=limit)

    async def verify(self, order_id: str) -> VerifyResult:
        return await self._conversation.verify(order_id)

    async def _append(
        self,
        tx: Transaction,
        order_id: str,
        who: Principal,
        kind: RecordKind,
        body: str,
        attachment_hashes: tuple[str, ...],
        claim_id: str | None = None,
    ) -> StoredRecord:
        """The next record of the order's chain; the order lock serialises concurrent appends."""
        await self._casework.orders.lock(order_id, session=tx.session)
        previous = await self._conversation.last(order_id, session=tx.session)
        record = append(
            previous,
            order_id=order_id,
            author_id=who.sub,
            role=author_role(who),
            kind=kind,
            body=body,
            attachment_hashes=attachment_hashes,
            created_at=self._casework.now(),
            claim_id=claim_id,
        )
        flagged = flag_message(record, self._rules) if kind is RecordKind.MESSAGE else []
        flags = flagged[0].matches if flagged else ()
        await self._conversation.append(record, flags, session=tx.session)
        for event in flagged:
            await tx.emit(event)
        return StoredRecord(record, flags)
