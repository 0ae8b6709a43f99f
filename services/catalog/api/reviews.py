"""Review routes: the buyer of a completed order reviews and edits once; the supplier replies once."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.api.access import BUYER, SUPPLIER
from services.catalog.domain.reviews import Review, ReviewDraft, ReviewEdit
from services.catalog.handlers.reviews import ReviewService
from shared.http.routes import Api, principal


class SupplierReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4_000)


def reviews_api(service: ReviewService) -> Api:
    api = Api("reviews")

    @api.post("/v1/reviews", body=ReviewDraft, response=Review, status=201, roles=BUYER)
    async def publish_review(request: web.Request, body: ReviewDraft) -> Review:
        """Review a product or the store of a completed order (within the window, once per target)."""
        return await service.publish(principal(request).sub, body)

    @api.patch("/v1/reviews/{review_id}", body=ReviewEdit, response=Review, roles=BUYER)
    async def revise_review(request: web.Request, body: ReviewEdit) -> Review:
        """Edit the own review (once)."""
        review_id = request.match_info["review_id"]
        return await service.revise(review_id, principal(request).sub, body)

    @api.post(
        "/v1/reviews/{review_id}/reply", body=SupplierReplyBody, response=Review, status=201, roles=SUPPLIER
    )
    async def reply_to_review(request: web.Request, body: SupplierReplyBody) -> Review:
        """The reviewed supplier replies (once)."""
        return await service.reply(request.match_info["review_id"], principal(request).sub, body.text)

    return api
