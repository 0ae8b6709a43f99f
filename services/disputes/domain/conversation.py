"""Order conversations and evidence as an append-only, hash-chained log that proves it was not edited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.disputes.domain.errors import ConversationOutOfOrderError
from shared.clock import utc
from shared.contracts.disputes import OffPlatformMatch

GENESIS_HASH = "0" * 64

Sha256Hex = Annotated[str, Field(max_length=64, pattern=r"^[0-9a-f]{64}$")]


class AuthorRole(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    MEDIATOR = "mediator"
    PLATFORM = "platform"


class RecordKind(StrEnum):
    MESSAGE = "message"
    EVIDENCE = "evidence"


class ConversationRecord(BaseModel):
    """One message or piece of evidence; `hash` covers every other field, `prev_hash` links the chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    seq: int = Field(ge=1)
    author_id: str
    role: AuthorRole
    kind: RecordKind
    # Evidence names the claim it supports; messages belong to the order alone.
    claim_id: str | None = None
    body: str
    attachment_hashes: tuple[Sha256Hex, ...] = ()
    created_at: AwareDatetime
    prev_hash: Sha256Hex
    hash: Sha256Hex


@dataclass(frozen=True)
class StoredRecord:
    """A record and what the off-platform detector found in it (an annotation, outside the hash)."""

    record: ConversationRecord
    flags: tuple[OffPlatformMatch, ...] = ()


class VerifyResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    valid: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str | None = None


def append(
    prev: ConversationRecord | None,
    *,
    order_id: str,
    author_id: str,
    role: AuthorRole,
    kind: RecordKind,
    body: str,
    attachment_hashes: tuple[str, ...] = (),
    created_at: datetime,
    claim_id: str | None = None,
) -> ConversationRecord:
    """The record that follows `prev` (None for the order's first record)."""
    # BSON datetimes keep milliseconds only; hashing a finer time would break the chain after storage.
    created_at = utc(created_at).replace(microsecond=created_at.microsecond // 1000 * 1000)
    if prev is not None and (prev.order_id != order_id or created_at < prev.created_at):
        raise ConversationOutOfOrderError(f"record does not continue the conversation of {prev.order_id}")
    draft = ConversationRecord(
        order_id=order_id,
        seq=1 if prev is None else prev.seq + 1,
        author_id=author_id,
        role=role,
        kind=kind,
        claim_id=claim_id,
        body=body,
        attachment_hashes=attachment_hashes,
        created_at=created_at,
        prev_hash=GENESIS_HASH if prev is None else prev.hash,
        hash=GENESIS_HASH,  # placeholder: the hash covers every other field, so it is computed last
    )
    return draft.model_copy(update={"hash": record_hash(draft)})


def record_hash(record: ConversationRecord) -> str:
    """sha256 of the canonical JSON of every field but `hash` (sorted keys, no spaces, UTC milliseconds)."""
    canonical = {
        "order_id": record.order_id,
        "seq": record.seq,
        "author_id": record.author_id,
        "role": record.role.value,
        "kind": record.kind.value,
        "claim_id": record.claim_id,
        "body": record.body,
        "attachment_hashes": list(record.attachment_hashes),
        "created_at": utc(record.created_at).isoformat(timespec="milliseconds"),
        "prev_hash": record.prev_hash,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_chain(records: Sequence[ConversationRecord]) -> VerifyResult:
    """Check a whole conversation from seq 1 and name the first record that breaks it."""
    prev: ConversationRecord | None = None
    for index, record in enumerate(records):
        problem = _break_in(prev, record, expected_seq=index + 1)
        if problem is not None:
            return VerifyResult(valid=False, checked=index, first_broken_seq=index + 1, problem=problem)
        prev = record
    return VerifyResult(valid=True, checked=len(records))


def _break_in(prev: ConversationRecord | None, record: ConversationRecord, expected_seq: int) -> str | None:
    if record.seq != expected_seq:
        return f"expected seq {expected_seq}, found {record.seq}"
    if prev is not None and record.order_id != prev.order_id:
        return "record belongs to another order"
    if record.prev_hash != (GENESIS_HASH if prev is None else prev.hash):
        return "prev_hash does not match the previous record"
    if prev is not None and record.created_at < prev.created_at:
        return "created_at goes backwards"
    if record.hash != record_hash(record):
        return "content does not match its hash"
    return None
