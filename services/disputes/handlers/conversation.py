"""Appending to an order's hash-chained conversation, with the off-platform detector on messages."""

from __future__ import annotations

from services.disputes.adapters.conversation import StoredRecord
from services.disputes.domain.conversation import AuthorRole, RecordKind, append
from services.disputes.domain.off_platform import flag_message
from services.disputes.handlers.desk import Desk, Emit
from shared.mongo import Session


async def append_record_in(
    desk: Desk,
    session: Session,
    emit: Emit,
    *,
    order_id: str,
    author_id: str,
    role: AuthorRole,
    kind: RecordKind,
    body: str,
    attachment_hashes: tuple[str, ...] = (),
    claim_id: str | None = None,
) -> StoredRecord:
    """The next record of the order's chain; the order lock serialises concurrent appends."""
    await desk.orders.lock(order_id, session=session)
    previous = await desk.conversation.last(order_id, session=session)
    record = append(
        previous,
        order_id=order_id,
        author_id=author_id,
        role=role,
        kind=kind,
        body=body,
        attachment_hashes=attachment_hashes,
        created_at=desk.now(),
        claim_id=claim_id,
    )
    flagged = flag_message(record, desk.rules) if kind is RecordKind.MESSAGE else []
    flags = flagged[0].matches if flagged else ()
    await desk.conversation.append(record, flags, session=session)
    for event in flagged:
        await emit(event)
    return StoredRecord(record, flags)
