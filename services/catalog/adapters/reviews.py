"""Reviews (one per order and target, by a unique index), completed orders and rating aggregates."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.catalog.adapters.documents import Versioned, dump, guarded_update
from services.catalog.domain.errors import AlreadyReviewedError
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.reviews import CompletedOrder, Review
from shared.contracts.catalog import ReviewTarget
from shared.mongo import Document, Indexes, Session, is_duplicate_key

REVIEWS = "reviews"
COMPLETED_ORDERS = "completed_orders"
RATINGS = "rating_aggregates"

REVIEW_INDEXES = Indexes(
    REVIEWS,
    [
        IndexModel(
            [("order_id", ASCENDING), ("target_kind", ASCENDING), ("target_id", ASCENDING)],
            name="once_per_order_and_target",
            unique=True,
        ),
        IndexModel(
            [("target_kind", ASCENDING), ("target_id", ASCENDING), ("published_at", DESCENDING)],
            name="by_target",
        ),
    ],
)


class ReviewRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._reviews = db[REVIEWS]

    async def get(self, review_id: str, *, session: Session | None = None) -> Versioned[Review] | None:
        document = await self._reviews.find_one({"_id": review_id}, session=session)
        return (
            Versioned(Review.model_validate(document["review"]), int(document["version"]))
            if document
            else None
        )

    async def exists(self, order_id: str, target: ReviewTarget, *, session: Session) -> bool:
        query = {"order_id": order_id, "target_kind": target.kind.value, "target_id": target.id}
        return await self._reviews.find_one(query, {"_id": 1}, session=session) is not None

    async def add(self, review: Review, *, session: Session) -> None:
        document = {
            "_id": review.id,
            "version": 1,
            "order_id": review.order_id,
            "target_kind": review.target.kind.value,
            "target_id": review.target.id,
            "published_at": review.published_at,
            "review": dump(review),
        }
        try:
            await self._reviews.insert_one(document, session=session)
        except PyMongoError as error:
            if is_duplicate_key(error):  # a concurrent twin got there first
                raise AlreadyReviewedError(f"order {review.order_id} already has this review") from None
            raise

    async def save(self, review: Review, *, expected_version: int, session: Session) -> None:
        await guarded_update(
            self._reviews, review.id, expected_version, {"review": dump(review)}, session=session
        )

    async def of_target(self, target: ReviewTarget, limit: int) -> list[Review]:
        found = (
            self._reviews.find({"target_kind": target.kind.value, "target_id": target.id})
            .sort("published_at", DESCENDING)
            .limit(limit)
        )
        return [Review.model_validate(document["review"]) async for document in found]


class CompletedOrders:
    """What escrow told us about completed orders: who may review what."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._orders = db[COMPLETED_ORDERS]

    async def get(self, order_id: str, *, session: Session) -> CompletedOrder | None:
        document = await self._orders.find_one({"_id": order_id}, session=session)
        if document is None:
            return None
        return CompletedOrder.model_validate({k: v for k, v in document.items() if k != "_id"})

    async def record(self, order: CompletedOrder, *, session: Session) -> None:
        """Receipt confirmation and release may arrive in either order; the product list only grows."""
        await self._orders.update_one(
            {"_id": order.order_id},
            {
                "$setOnInsert": {
                    "order_id": order.order_id,
                    "buyer_id": order.buyer_id,
                    "supplier_id": order.supplier_id,
                    "completed_at": order.completed_at,
                },
                "$addToSet": {"product_ids": {"$each": list(order.product_ids)}},
            },
            upsert=True,
            session=session,
        )


class RatingAggregates:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._ratings = db[RATINGS]

    @staticmethod
    def _key(target: ReviewTarget) -> str:
        return f"{target.kind.value}:{target.id}"

    async def get(self, target: ReviewTarget, *, session: Session | None = None) -> RatingAggregate:
        document = await self._ratings.find_one({"_id": self._key(target)}, session=session)
        return RatingAggregate.model_validate(document["aggregate"]) if document else RatingAggregate()

    async def put(self, target: ReviewTarget, aggregate: RatingAggregate, *, session: Session) -> None:
        await self._ratings.update_one(
            {"_id": self._key(target)}, {"$set": {"aggregate": dump(aggregate)}}, upsert=True, session=session
        )
