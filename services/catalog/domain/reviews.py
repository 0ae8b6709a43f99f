"""Product and store reviews: who may write them, when, how often, and the supplier's one reply."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.catalog.domain.errors import (
    AlreadyReviewedError,
    NotOrderBuyerError,
    OrderNotCompletedError,
    ReplyAlreadyPostedError,
    ReviewEditLimitReachedError,
    ReviewWindowClosedError,
    TargetNotInOrderError,
)
from services.catalog.domain.policy import ReviewPolicy
from services.catalog.domain.supplier import ensure_owner
from shared.clock import UtcDateTime
from shared.contracts.catalog import Rating, ReviewPublished, ReviewRevised, ReviewTarget, TargetKind


class CompletedOrder(BaseModel):
    """What the catalog learned from escrow about an order whose receipt was confirmed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    buyer_id: str
    supplier_id: str
    product_ids: tuple[str, ...]
    completed_at: UtcDateTime


class ReviewEdit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rating: Rating
    comment: str = Field(default="", max_length=4_000)


class ReviewDraft(ReviewEdit):
    order_id: str
    target: ReviewTarget


class SupplierReply(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1, max_length=4_000)
    replied_at: UtcDateTime


class Review(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    target: ReviewTarget
    rating: Rating
    comment: str
    published_at: UtcDateTime
    edits: int = 0
    revised_at: UtcDateTime | None = None
    reply: SupplierReply | None = None


def ensure_may_review(
    order: CompletedOrder | None,
    buyer_id: str,
    target: ReviewTarget,
    already_reviewed: bool,
    policy: ReviewPolicy,
    now: datetime,
) -> CompletedOrder:
    """The buyer of a completed order, within the window, once per order and target."""
    if order is None:
        raise OrderNotCompletedError("only a completed order can be reviewed")
    if order.buyer_id != buyer_id:
        raise NotOrderBuyerError("only the buyer of the order can review it")
    in_order = (
        target.id == order.supplier_id if target.kind is TargetKind.STORE else target.id in order.product_ids
    )
    if not in_order:
        raise TargetNotInOrderError(f"{target.kind} {target.id} is not part of order {order.order_id}")
    if now > order.completed_at + policy.window:
        raise ReviewWindowClosedError(f"reviews close {policy.window.days} days after completion")
    if already_reviewed:
        raise AlreadyReviewedError(f"order {order.order_id} already has a review of this {target.kind}")
    return order


def publish_review(
    review_id: str,
    draft: ReviewDraft,
    order: CompletedOrder | None,
    buyer_id: str,
    already_reviewed: bool,
    policy: ReviewPolicy,
    now: datetime,
) -> tuple[Review, ReviewPublished]:
    """`order` is None unless escrow reported this order completed; the store's unique index backs `once`."""
    completed = ensure_may_review(order, buyer_id, draft.target, already_reviewed, policy, now)
    review = Review(
        id=review_id,
        order_id=completed.order_id,
        buyer_id=buyer_id,
        supplier_id=completed.supplier_id,
        target=draft.target,
        rating=draft.rating,
        comment=draft.comment,
        published_at=now,
    )
    event = ReviewPublished(
        review_id=review.id,
        order_id=review.order_id,
        buyer_id=buyer_id,
        supplier_id=review.supplier_id,
        target=review.target,
        rating=review.rating,
        published_at=now,
    )
    return review, event


def revise_review(
    review: Review, buyer_id: str, edit: ReviewEdit, policy: ReviewPolicy, now: datetime
) -> tuple[Review, ReviewRevised]:
    if review.buyer_id != buyer_id:
        raise NotOrderBuyerError("only the author can edit a review")
    if review.edits >= policy.max_edits:
        raise ReviewEditLimitReachedError(f"a review can be edited {policy.max_edits} time(s)")
    revised = review.model_copy(
        update={"rating": edit.rating, "comment": edit.comment, "edits": review.edits + 1, "revised_at": now}
    )
    event = ReviewRevised(
        review_id=review.id,
        supplier_id=review.supplier_id,
        target=review.target,
        previous_rating=review.rating,
        rating=edit.rating,
        revised_at=now,
    )
    return revised, event


def reply_to_review(review: Review, supplier_id: str, text: str, now: datetime) -> Review:
    ensure_owner(review.supplier_id, supplier_id)
    if review.reply is not None:
        raise ReplyAlreadyPostedError("the supplier has already replied to this review")
    return review.model_copy(update={"reply": SupplierReply(text=text, replied_at=now)})


def reviewer_label(review: Review) -> str:
    """How readers other than the reviewer and ops know who wrote a review: a verified buyer's pseudonym.

    Derived from the order (an id only its parties know) with the buyer, so both reviews of one order
    carry one label while nothing links it to the buyer's id or to the buyer's other orders.
    """
    digest = hashlib.sha256(f"{review.order_id}\n{review.buyer_id}".encode()).hexdigest()
    return f"Verified buyer {digest[:8]}"
