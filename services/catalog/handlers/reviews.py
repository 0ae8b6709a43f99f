"""Reviews: publish (buyer of a completed order), revise once, supplier reply; aggregates move with them."""

from __future__ import annotations

import uuid

from services.catalog.domain.errors import UnknownReviewError
from services.catalog.domain.policy import ReviewPolicy
from services.catalog.domain.ratings import RatingAggregate, add_rating, replace_rating
from services.catalog.domain.reviews import (
    Review,
    ReviewDraft,
    ReviewEdit,
    publish_review,
    reply_to_review,
    revise_review,
)
from services.catalog.handlers.ports import CompletedOrders, Ratings, Reviews
from services.catalog.handlers.storefront import Storefront, store_of
from shared.clock import Clock
from shared.contracts.catalog import Rating, ReviewTarget
from shared.mongo import Session
from shared.store import Versioned
from shared.unit_of_work import Transaction, UnitOfWork


class ReviewCommands:
    def __init__(
        self,
        uow: UnitOfWork,
        reviews: Reviews,
        orders: CompletedOrders,
        ratings: Ratings,
        storefront: Storefront,
        policy: ReviewPolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reviews = reviews
        self._orders = orders
        self._ratings = ratings
        self._storefront = storefront
        self._policy = policy
        self._clock = clock

    async def publish(self, buyer_id: str, draft: ReviewDraft) -> Review:
        review_id = f"rev_{uuid.uuid4().hex}"

        async def work(tx: Transaction) -> Review:
            order = await self._orders.get(draft.order_id, session=tx.session)
            exists = await self._reviews.exists(draft.order_id, draft.target, session=tx.session)
            now = self._clock.now()
            review, event = publish_review(review_id, draft, order, buyer_id, exists, self._policy, now)
            await self._reviews.add(review, session=tx.session)
            await self._rate(review, None, review.rating, tx.session)
            await tx.emit(event)
            return review

        return await self._uow.run(work)

    async def revise(self, review_id: str, buyer_id: str, edit: ReviewEdit) -> Review:
        async def work(tx: Transaction) -> Review:
            loaded = await self._load(review_id, tx.session)
            now = self._clock.now()
            revised, event = revise_review(loaded.value, buyer_id, edit, self._policy, now)
            await self._reviews.save(revised, expected_version=loaded.version, session=tx.session)
            await self._rate(revised, loaded.value.rating, revised.rating, tx.session)
            await tx.emit(event)
            return revised

        return await self._uow.run(work)

    async def reply(self, review_id: str, supplier_id: str, text: str) -> Review:
        async def work(tx: Transaction) -> Review:
            loaded = await self._load(review_id, tx.session)
            replied = reply_to_review(loaded.value, supplier_id, text, self._clock.now())
            await self._reviews.save(replied, expected_version=loaded.version, session=tx.session)
            return replied

        return await self._uow.run(work)

    async def of_target(self, target: ReviewTarget, limit: int) -> tuple[RatingAggregate, list[Review]]:
        return await self._ratings.get(target), await self._reviews.of_target(target, limit)

    async def _rate(self, review: Review, previous: Rating | None, rating: Rating, session: Session) -> None:
        """Aggregates change in the review's own transaction: an average never lags its reviews."""
        aggregate = await self._ratings.get(review.target, session=session)
        changed = (
            add_rating(aggregate, rating) if previous is None else replace_rating(aggregate, previous, rating)
        )
        await self._ratings.put(review.target, changed, session=session)
        if review.target == store_of(review.supplier_id):
            await self._storefront.restate(review.supplier_id, session=session)  # store rating ranks products

    async def _load(self, review_id: str, session: Session) -> Versioned[Review]:
        loaded = await self._reviews.get(review_id, session=session)
        if loaded is None:
            raise UnknownReviewError(f"review {review_id} not found")
        return loaded
