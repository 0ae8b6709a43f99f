"""Order conversations, rule by rule, over in-memory stores."""

from __future__ import annotations

from shared.contracts.disputes import MessageFlagged, OffPlatformCategory
from tests.support.fakes.disputes import FakeDisputes

from .given import BUYER, SUPPLIER, delivered


async def test_a_message_pushing_off_platform_payment_is_flagged_and_the_buyer_warned(
    disputes: FakeDisputes,
) -> None:
    # Given a delivered order and a plain message about it
    await delivered(disputes)
    conversations = disputes.disputes.conversations
    plain = await conversations.post_message("ord-1", BUYER, "When will the replacement ship?", ())

    # When the supplier asks to be paid outside the platform
    pushy = await conversations.post_message(
        "ord-1", SUPPLIER, "Cheaper if you pay directly by Western Union to our own account", ()
    )

    # Then that message, and only that one, is flagged in both categories it breaks, and announced
    assert plain.flags == ()
    assert {flag.category for flag in pushy.flags} == {
        OffPlatformCategory.PAYMENT_OUTSIDE,
        OffPlatformCategory.DISCOUNT_FOR_GOING_OUTSIDE,
    }
    assert all(
        flag.span and pushy.record.body[flag.span.start : flag.span.end] == flag.span.text
        for flag in pushy.flags
    )
    [flagged] = disputes.published(MessageFlagged)
    assert (flagged.seq, flagged.author_id, flagged.matches) == (2, SUPPLIER.sub, pushy.flags)
    # And both stay on the chain, the flags with their spans as stored
    assert [stored.flags for stored in await conversations.records("ord-1")] == [(), pushy.flags]
    assert (await conversations.verify("ord-1")).valid
