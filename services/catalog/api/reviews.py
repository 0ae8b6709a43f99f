"""Review routes: the buyer of a completed order reviews and edits once; the supplier replies once."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.api.access import BUYER, SUPPLIER
from services.catalog.api.deps import REVIEWS
from services.catalog.api.views import PublicReviewView, ReviewView
from services.catalog.domain.reviews import ReviewDraft, ReviewEdit
from shared.contracts.catalog import Rating, ReviewTarget, TargetKind
from shared.http.mapping import to_domain
from shared.http.routes import Api, principal
from shared.text import Identifier, PlainText


class ReviewChanges(BaseModel):
    """The new rating and comment of an own review."""

    model_config = ConfigDict(extra="forbid")

    rating: Rating
    comment: PlainText = Field(default="", max_length=4_000)


class ReviewedTarget(BaseModel):
    """What a review is about: the product, or the store, of the order."""

    model_config = ConfigDict(extra="forbid")

    kind: TargetKind
    id: Identifier


class NewReview(ReviewChanges):
    """A review of a product, or of the store, of one of the buyer's completed orders."""

    order_id: Identifier
    target: ReviewedTarget


class SupplierReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: PlainText = Field(min_length=1, max_length=4_000)


api = Api("reviews", requires=(REVIEWS,))


@api.post("/v1/reviews", body=NewReview, response=ReviewView, status=201, roles=BUYER)
async def publish_review(request: web.Request, body: NewReview) -> ReviewView:
    """Review a product or the store of a completed order (within the window, once per target)."""
    draft = to_domain(ReviewDraft, body, target=ReviewTarget.model_validate(body.target.model_dump()))
    return ReviewView.of(await request.app[REVIEWS].publish(principal(request).sub, draft))


@api.patch("/v1/reviews/{review_id}", body=ReviewChanges, response=ReviewView, roles=BUYER)
async def revise_review(request: web.Request, body: ReviewChanges) -> ReviewView:
    """Edit the own review (once)."""
    review_id = request.match_info["review_id"]
    edit = to_domain(ReviewEdit, body)
    review = await request.app[REVIEWS].revise(review_id, principal(request).sub, edit)
    return ReviewView.of(review)


@api.post(
    "/v1/reviews/{review_id}/reply",
    body=SupplierReplyBody,
    response=PublicReviewView,
    status=201,
    roles=SUPPLIER,
)
async def reply_to_review(request: web.Request, body: SupplierReplyBody) -> PublicReviewView:
    """The reviewed supplier replies (once)."""
    review = await request.app[REVIEWS].reply(
        request.match_info["review_id"], principal(request).sub, body.text
    )
    return PublicReviewView.of(review)  # the supplier reads the reviewer's pseudonym, as everyone does
