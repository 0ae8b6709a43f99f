"""Order conversations are hash-chained: any edit, removal or reordering is detected."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from services.disputes.domain.conversation import (
    GENESIS_HASH,
    AuthorRole,
    ConversationRecord,
    RecordKind,
    append,
    record_hash,
    verify_chain,
)
from services.disputes.domain.errors import ConversationOutOfOrderError
from tests.unit.disputes.factories import BUYER, NOW, SUPPLIER

PHOTO_HASH = "a" * 64


def _conversation(length: int = 3) -> list[ConversationRecord]:
    records: list[ConversationRecord] = []
    for i in range(length):
        buyer_turn = i % 2 == 0
        records.append(
            append(
                records[-1] if records else None,
                order_id="order-1",
                author_id=BUYER if buyer_turn else SUPPLIER,
                role=AuthorRole.BUYER if buyer_turn else AuthorRole.SUPPLIER,
                kind=RecordKind.EVIDENCE if i == 2 else RecordKind.MESSAGE,
                body=f"message {i}",
                attachment_hashes=(PHOTO_HASH,) if i == 2 else (),
                created_at=NOW + timedelta(minutes=i),
            )
        )
    return records


def test_records_are_numbered_and_linked_to_their_predecessor() -> None:
    # when
    first, second, third = _conversation()

    # then
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.hash == record_hash(third)


def test_an_untouched_conversation_verifies() -> None:
    assert verify_chain(_conversation()).valid


def test_an_empty_conversation_verifies() -> None:
    assert verify_chain([]).valid


def test_an_edited_message_is_detected_at_its_seq() -> None:
    # given
    records = _conversation()

    # when the stored body of record 2 is rewritten
    records[1] = records[1].model_copy(update={"body": "we never promised Pantone 286 C"})

    # then
    result = verify_chain(records)
    assert not result.valid
    assert result.first_broken_seq == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link() -> None:
    # given
    records = _conversation()
    forged = records[1].model_copy(update={"body": "forged"})

    # when the forger also recomputes the edited record's own hash
    records[1] = forged.model_copy(update={"hash": record_hash(forged)})

    # then
    assert verify_chain(records).first_broken_seq == 3


def test_relinking_the_next_record_to_a_forged_one_is_detected() -> None:
    # given record 2 forged with a self-consistent hash
    records = _conversation()
    forged = records[1].model_copy(update={"body": "forged"})
    records[1] = forged.model_copy(update={"hash": record_hash(forged)})

    # when the forger also points record 3 at the forgery
    records[2] = records[2].model_copy(update={"prev_hash": records[1].hash})

    # then record 3's own hash no longer matches, because it covers prev_hash
    result = verify_chain(records)
    assert result.first_broken_seq == 3
    assert result.problem == "content does not match its hash"


def test_a_swapped_attachment_is_detected() -> None:
    records = _conversation()
    records[2] = records[2].model_copy(update={"attachment_hashes": ("b" * 64,)})

    assert verify_chain(records).first_broken_seq == 3


def test_a_removed_record_is_detected() -> None:
    records = _conversation()
    del records[1]

    assert verify_chain(records).first_broken_seq == 2


def test_a_backdated_record_is_detected() -> None:
    records = _conversation()
    records[0] = records[0].model_copy(update={"created_at": NOW - timedelta(days=1)})

    assert verify_chain(records).first_broken_seq == 1


def test_chain_survives_storage_with_millisecond_timestamps() -> None:
    # given a record created at a time with microseconds, as a datastore would keep it (ms, naive UTC)
    record = append(
        None,
        order_id="order-1",
        author_id=BUYER,
        role=AuthorRole.BUYER,
        kind=RecordKind.MESSAGE,
        body="hello",
        created_at=NOW + timedelta(microseconds=123_456),
    )
    document = record.model_dump(mode="json")

    # when
    stored = ConversationRecord.model_validate(document)

    # then
    assert verify_chain([stored]).valid
    assert stored.created_at.microsecond == 123_000


def test_appending_to_another_orders_conversation_is_refused() -> None:
    (first,) = _conversation(1)
    with pytest.raises(ConversationOutOfOrderError):
        append(
            first,
            order_id="order-2",
            author_id=BUYER,
            role=AuthorRole.BUYER,
            kind=RecordKind.MESSAGE,
            body="hi",
            created_at=NOW + timedelta(minutes=1),
        )


def test_appending_a_record_older_than_the_last_is_refused() -> None:
    (first,) = _conversation(1)
    with pytest.raises(ConversationOutOfOrderError):
        append(
            first,
            order_id="order-1",
            author_id=BUYER,
            role=AuthorRole.BUYER,
            kind=RecordKind.MESSAGE,
            body="hi",
            created_at=NOW - timedelta(seconds=1),
        )


def test_a_record_hash_is_the_sha256_of_its_canonical_json_so_anyone_can_recompute_it() -> None:
    # given an evidence record with a non-ASCII body, an attachment, a claim and a sub-millisecond time
    record = append(
        None,
        order_id="order-1",
        author_id=BUYER,
        role=AuthorRole.BUYER,
        kind=RecordKind.EVIDENCE,
        body="¿Dónde está? 货物",
        attachment_hashes=(PHOTO_HASH,),
        created_at=NOW.replace(microsecond=999_500),
        claim_id="claim-1",
    )
    # when an auditor writes its canonical JSON by hand: sorted keys, no spaces, UTF-8, UTC milliseconds
    canonical = (
        f'{{"attachment_hashes":["{PHOTO_HASH}"],"author_id":"{BUYER}","body":"¿Dónde está? 货物",'
        f'"claim_id":"claim-1","created_at":"2026-03-02T09:00:00.999+00:00","kind":"evidence",'
        f'"order_id":"order-1","prev_hash":"{GENESIS_HASH}","role":"buyer","seq":1}}'
    )
    # then its sha256 is the record's hash
    assert record.hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_broken_chain_names_what_broke_it() -> None:
    # given a conversation tampered with in each of the ways a chain detects
    def tampered(index: int, **update: object) -> list[ConversationRecord]:
        records = _conversation()
        records[index] = records[index].model_copy(update=update)
        return records

    # when each is verified, then the first broken record and what broke it are named
    assert [
        (r.first_broken_seq, r.problem)
        for r in map(
            verify_chain,
            [
                tampered(1, order_id="order-2"),
                tampered(1, prev_hash="0" * 64),
                tampered(2, created_at=NOW),
            ],
        )
    ] == [
        (2, "record belongs to another order"),
        (2, "prev_hash does not match the previous record"),
        (3, "created_at goes backwards"),
    ]
