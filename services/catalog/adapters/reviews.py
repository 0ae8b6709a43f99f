"""Reviews (one per order and target, by a unique index), completed orders and rating aggregates."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.catalog.domain.errors import AlreadyReviewedError
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.reviews import CompletedOrder, Review
from shared.contracts.catalog import ReviewTarget
from shared.mongo import Document, Indexes, Session, is_duplicate_key
from shared.store import VersionedStore, from_document, to_document

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


class ReviewRepository(VersionedStore[Review]):
    """Each review under `review`, beside the fields its unique index and its target's listing query."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, REVIEWS, Review, id_field="id", under="review")

    def beside(self, value: Review) -> Document:
        return {
            "order_id": value.order_id,
            "target_kind": value.target.kind.value,
            "target_id": value.target.id,
            "published_at": value.published_at,
        }

    async def exists(self, order_id: str, target: ReviewTarget, *, session: Session) -> bool:
        query = {"order_id": order_id, "target_kind": target.kind.value, "target_id": target.id}
        return await self.collection.find_one(query, {"_id": 1}, session=session) is not None

    async def add(self, review: Review, *, session: Session) -> None:
        try:
            await self.insert(review, session=session)
        except PyMongoError as error:
            if is_duplicate_key(error):  # a concurrent twin got there first
                raise AlreadyReviewedError(f"order {review.order_id} already has this review") from None
            raise

    async def of_target(self, target: ReviewTarget, limit: int) -> list[Review]:
        query = {"target_kind": target.kind.value, "target_id": target.id}
        found = self.find(query, sort=[("published_at", DESCENDING)], limit=limit)
        return [stored.value async for stored in found]


class CompletedOrders:
    """What escrow told us about completed orders: who may review what."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._orders = db[COMPLETED_ORDERS]

    async def get(self, order_id: str, *, session: Session) -> CompletedOrder | None:
        document = await self._orders.find_one({"_id": order_id}, session=session)
        if document is None:
            return None
        return from_document(CompletedOrder, document)

    async def record(self, order: CompletedOrder, *, session: Session) -> CompletedOrder | None:
        """Receipt confirmation and release may arrive in either order; the product list only grows.

        Returns the record as it was before (None: the first completion), so the caller learns which
        products are new from this one round trip."""
        before = await self._orders.find_one_and_update(
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
            return_document=ReturnDocument.BEFORE,
            session=session,
        )
        return None if before is None else from_document(CompletedOrder, before)


class RatingAggregates:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._ratings = db[RATINGS]

    @staticmethod
    def _key(target: ReviewTarget) -> str:
        return f"{target.kind.value}:{target.id}"

    async def get(self, target: ReviewTarget, *, session: Session | None = None) -> RatingAggregate:
        document = await self._ratings.find_one({"_id": self._key(target)}, session=session)
        return from_document(RatingAggregate, document["aggregate"]) if document else RatingAggregate()

    async def put(self, target: ReviewTarget, aggregate: RatingAggregate, *, session: Session) -> None:
        await self._ratings.update_one(
            {"_id": self._key(target)},
            {"$set": {"aggregate": to_document(aggregate)}},
            upsert=True,
            session=session,
        )
