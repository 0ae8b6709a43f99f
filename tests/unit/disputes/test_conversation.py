"""Order conversations are hash-chained: any edit, removal or reordering is detected."""

from __future__ import annotations

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
