"""Reviews, rule by rule, with fakes: only a completed order's buyer reviews, once per order and target."""

from __future__ import annotations

import pytest

from services.catalog.domain.errors import AlreadyReviewedError, OrderNotCompletedError
from services.catalog.domain.reviews import ReviewDraft
from services.catalog.handlers.storefront import store_of
from shared.contracts.catalog import Rating, ReviewPublished, ReviewTarget, TargetKind
from tests.support.fakes.catalog import FakeCatalog

from .given import listed, receipt_confirmed


def rating(stars: int) -> Rating:
    return Rating(stars=stars, quality=stars, service=stars, delivery=stars)


def of_product(product_id: str, stars: int = 5) -> ReviewDraft:
    return ReviewDraft(
        order_id="o-1", target=ReviewTarget(kind=TargetKind.PRODUCT, id=product_id), rating=rating(stars)
    )


async def test_a_review_needs_an_order_escrow_reported_completed(catalog: FakeCatalog) -> None:
    product_id = await listed(catalog)
    draft = of_product(product_id)
    with pytest.raises(OrderNotCompletedError):
        await catalog.catalog.reviews.publish("b-1", draft)
    assert await catalog.reviews.of_target(draft.target, 10) == []

    await catalog.deliver(receipt_confirmed(catalog, "o-1", product_id))
    review = await catalog.catalog.reviews.publish("b-1", draft)
    assert await catalog.reviews.of_target(draft.target, 10) == [review]
    assert [event.review_id for event in catalog.published(ReviewPublished)] == [review.id]


async def test_an_order_is_reviewed_once_per_target(catalog: FakeCatalog) -> None:
    product_id = await listed(catalog)
    await catalog.deliver(receipt_confirmed(catalog, "o-1", product_id))
    await catalog.catalog.reviews.publish("b-1", of_product(product_id, stars=5))

    with pytest.raises(AlreadyReviewedError):
        await catalog.catalog.reviews.publish("b-1", of_product(product_id, stars=1))
    aggregate, reviews = await catalog.catalog.reviews.of_target(of_product(product_id).target, 10)
    assert (aggregate.count, aggregate.stars, len(reviews)) == (1, 5.0, 1)

    store = ReviewDraft(order_id="o-1", target=store_of("sup-1"), rating=rating(4))
    await catalog.catalog.reviews.publish("b-1", store)  # the order's other target is still open


async def test_a_store_review_restates_the_store_rating_on_every_product_of_the_supplier(
    catalog: FakeCatalog,
) -> None:
    product_id = await listed(catalog)
    await catalog.deliver(receipt_confirmed(catalog, "o-1", product_id))
    await catalog.catalog.reviews.publish(
        "b-1", ReviewDraft(order_id="o-1", target=store_of("sup-1"), rating=rating(4))
    )
    standing = (await catalog.product(product_id)).supplier
    assert (standing.rating, standing.rating_count) == (4.0, 1)
