"""Only the buyer of a completed order reviews it, within 30 days, once per target; one edit, one reply."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.catalog.domain.errors import (
    AlreadyReviewedError,
    NotOrderBuyerError,
    NotOwnerError,
    OrderNotCompletedError,
    ReplyAlreadyPostedError,
    ReviewEditLimitReachedError,
    ReviewWindowClosedError,
    TargetNotInOrderError,
)
from services.catalog.domain.policy import ReviewPolicy
from services.catalog.domain.reviews import (
    CompletedOrder,
    Review,
    ReviewDraft,
    ReviewEdit,
    publish_review,
    reply_to_review,
    reviewer_label,
    revise_review,
)
from shared.contracts.catalog import Rating, ReviewTarget, TargetKind
from tests.unit.catalog.builders import DAY, NOW

POLICY = ReviewPolicy()
ORDER = CompletedOrder(
    order_id="ord-1", buyer_id="buyer-1", supplier_id="sup-1", product_ids=("prod-1",), completed_at=NOW
)
FIVE = Rating(stars=5, quality=5, service=4, delivery=5)
PRODUCT = ReviewTarget(kind=TargetKind.PRODUCT, id="prod-1")
DRAFT = ReviewDraft(order_id="ord-1", target=PRODUCT, rating=FIVE, comment="solid bottles")


def publish(
    draft: ReviewDraft = DRAFT,
    order: CompletedOrder | None = ORDER,
    buyer_id: str = "buyer-1",
    already_reviewed: bool = False,
    at: timedelta = timedelta(days=3),
) -> Review:
    review, _ = publish_review("rev-1", draft, order, buyer_id, already_reviewed, POLICY, NOW + at)
    return review


def test_the_buyer_of_a_completed_order_may_review_its_product() -> None:
    review, event = publish_review("rev-1", DRAFT, ORDER, "buyer-1", False, POLICY, NOW + DAY)
    assert (review.supplier_id, review.rating) == ("sup-1", FIVE)
    assert (event.review_id, event.target, event.published_at) == ("rev-1", PRODUCT, NOW + DAY)


def test_the_buyer_may_review_the_store_of_the_order() -> None:
    store = DRAFT.model_copy(update={"target": ReviewTarget(kind=TargetKind.STORE, id="sup-1")})
    assert publish(store).target.kind is TargetKind.STORE


def test_an_order_not_completed_cannot_be_reviewed() -> None:
    with pytest.raises(OrderNotCompletedError):
        publish(order=None)


def test_only_the_buyer_of_the_order_may_review_it() -> None:
    with pytest.raises(NotOrderBuyerError):
        publish(buyer_id="buyer-2")


@pytest.mark.parametrize(
    "target",
    [ReviewTarget(kind=TargetKind.PRODUCT, id="prod-2"), ReviewTarget(kind=TargetKind.STORE, id="sup-2")],
)
def test_a_target_outside_the_order_cannot_be_reviewed(target: ReviewTarget) -> None:
    with pytest.raises(TargetNotInOrderError):
        publish(DRAFT.model_copy(update={"target": target}))


def test_reviews_are_accepted_up_to_30_days_after_completion() -> None:
    assert publish(at=timedelta(days=30)).published_at == NOW + timedelta(days=30)
    with pytest.raises(ReviewWindowClosedError):
        publish(at=timedelta(days=30, seconds=1))


def test_an_order_and_target_are_reviewed_only_once() -> None:
    with pytest.raises(AlreadyReviewedError):
        publish(already_reviewed=True)


def test_a_review_can_be_edited_once() -> None:
    # given a published review
    review = publish()
    worse = ReviewEdit(rating=Rating(stars=2, quality=2, service=2, delivery=1), comment="rusted")
    # when the buyer edits it, then the event carries both ratings
    edited, event = revise_review(review, "buyer-1", worse, POLICY, NOW + 5 * DAY)
    assert (edited.edits, edited.revised_at, edited.comment) == (1, NOW + 5 * DAY, "rusted")
    assert (event.previous_rating, event.rating) == (FIVE, worse.rating)
    # and a second edit is refused
    with pytest.raises(ReviewEditLimitReachedError):
        revise_review(edited, "buyer-1", worse, POLICY, NOW + 6 * DAY)


def test_only_the_author_may_edit_a_review() -> None:
    with pytest.raises(NotOrderBuyerError):
        revise_review(publish(), "buyer-2", ReviewEdit(rating=FIVE), POLICY, NOW + 5 * DAY)


def test_the_supplier_may_reply_once() -> None:
    replied = reply_to_review(publish(), "sup-1", "Thank you!", NOW + 4 * DAY)
    assert replied.reply is not None
    assert replied.reply.replied_at == NOW + 4 * DAY
    with pytest.raises(ReplyAlreadyPostedError):
        reply_to_review(replied, "sup-1", "Again", NOW + 5 * DAY)


def test_another_supplier_cannot_reply() -> None:
    with pytest.raises(NotOwnerError):
        reply_to_review(publish(), "sup-2", "Not yours", NOW + 4 * DAY)


def test_an_edit_replaces_the_rating_and_the_comment() -> None:
    worse = ReviewEdit(rating=Rating(stars=2, quality=2, service=2, delivery=1), comment="rusted")
    edited, _ = revise_review(publish(), "buyer-1", worse, POLICY, NOW + 5 * DAY)
    assert (edited.rating, edited.comment) == (worse.rating, "rusted")


def test_both_reviews_of_an_order_carry_one_pseudonym_that_differs_between_orders() -> None:
    product_review = publish()
    store_review = publish(
        DRAFT.model_copy(update={"target": ReviewTarget(kind=TargetKind.STORE, id="sup-1")})
    )
    other_order = product_review.model_copy(update={"order_id": "ord-2"})
    label = reviewer_label(product_review)
    assert re.fullmatch(r"Verified buyer [0-9a-f]{8}", label)
    assert reviewer_label(store_review) == label
    assert reviewer_label(other_order) != label
    assert "buyer-1" not in label
