"""Reviews: only the buyer of a completed order, within 30 days, once per target, one edit, one reply."""

from __future__ import annotations

from typing import Any

from deploy.local.polling import eventually
from tests.integration.catalog.events import receipt_confirmed
from tests.integration.catalog.support import DAY, Catalog
from tests.support.services import EventInjector

RATING = {"stars": 4, "quality": 4, "service": 5, "delivery": 3}


def review(order_id: str, kind: str, target_id: str, **rating: int) -> dict[str, Any]:
    return {"order_id": order_id, "target": {"kind": kind, "id": target_id}, "rating": {**RATING, **rating}}


def slug(problem: dict[str, Any]) -> str:
    return str(problem["type"]).rsplit("/", 1)[-1]


async def completed_order(catalog: Catalog, inject: EventInjector, order_id: str = "o-1") -> str:
    """sup-a's product, ordered by b-1, receipt confirmed (escrow's event) at the catalog's now."""
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    await inject.publish(receipt_confirmed(order_id, "sup-a", product_id, at=catalog.clock.now()))
    orders = catalog.service.platform.db["completed_orders"]

    async def known() -> bool:
        return await orders.find_one({"_id": order_id}) is not None

    await eventually(known)
    return product_id


async def test_only_the_buyer_of_a_completed_order_reviews_it(
    catalog: Catalog, inject: EventInjector
) -> None:
    buyer = catalog.tokens.buyer("b-1")
    # before escrow reports completion, nobody may review
    status, problem = await catalog.call("POST", "/v1/reviews", buyer, review("o-1", "store", "sup-a"))
    assert (status, slug(problem)) == (403, "review-order-not-completed")
    product_id = await completed_order(catalog, inject)
    # another buyer may not, nor may the buyer review a product outside the order
    status, problem = await catalog.call(
        "POST", "/v1/reviews", catalog.tokens.buyer("b-2"), review("o-1", "store", "sup-a")
    )
    assert (status, slug(problem)) == (403, "review-not-order-buyer")
    status, problem = await catalog.call("POST", "/v1/reviews", buyer, review("o-1", "product", "prod_other"))
    assert (status, slug(problem)) == (403, "review-target-not-in-order")
    # the buyer reviews the product and the store
    await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "product", product_id))
    await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "store", "sup-a", stars=5))
    shown = await catalog.ok("GET", f"/v1/products/{product_id}", buyer)
    assert (shown["rating"]["count"], shown["rating"]["stars"], shown["completed_orders"]) == (1, 4.0, 1)
    published = await catalog.service.published("catalog.review_published")
    assert [event["target"]["kind"] for event in published] == ["product", "store"]


async def test_reviews_close_thirty_days_after_completion(catalog: Catalog, inject: EventInjector) -> None:
    product_id = await completed_order(catalog, inject)
    buyer = catalog.tokens.buyer("b-1")
    catalog.clock.advance(30 * DAY)
    await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "product", product_id))
    catalog.clock.advance(DAY / 86_400)
    status, problem = await catalog.call("POST", "/v1/reviews", buyer, review("o-1", "store", "sup-a"))
    assert (status, slug(problem)) == (403, "review-window-closed")


async def test_one_review_per_order_and_target_editable_once(catalog: Catalog, inject: EventInjector) -> None:
    product_id = await completed_order(catalog, inject)
    buyer = catalog.tokens.buyer("b-1")
    written = await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "product", product_id))
    status, problem = await catalog.call("POST", "/v1/reviews", buyer, review("o-1", "product", product_id))
    assert (status, slug(problem)) == (409, "review-already-exists")
    # the author edits once; the aggregate swaps the old rating for the new one
    edit = {"rating": {**RATING, "stars": 2}, "comment": "lid leaks"}
    status, _ = await catalog.call("PATCH", f"/v1/reviews/{written['id']}", catalog.tokens.buyer("b-2"), edit)
    assert status == 403
    edited = await catalog.ok("PATCH", f"/v1/reviews/{written['id']}", buyer, edit)
    assert (edited["edits"], edited["comment"]) == (1, "lid leaks")
    rating = (await catalog.ok("GET", f"/v1/products/{product_id}/reviews", buyer))["rating"]
    assert (rating["count"], rating["stars"]) == (1, 2.0)
    status, problem = await catalog.call("PATCH", f"/v1/reviews/{written['id']}", buyer, edit)
    assert (status, slug(problem)) == (409, "review-edit-limit-reached")


async def test_the_supplier_replies_once(catalog: Catalog, inject: EventInjector) -> None:
    await completed_order(catalog, inject)
    await catalog.register("sup-b")
    written = await catalog.ok(
        "POST", "/v1/reviews", catalog.tokens.buyer("b-1"), review("o-1", "store", "sup-a")
    )
    path, reply = f"/v1/reviews/{written['id']}/reply", {"text": "Thank you"}
    status, _ = await catalog.call("POST", path, catalog.supplier_token("sup-b"), reply)
    assert status == 403
    replied = await catalog.ok("POST", path, catalog.supplier_token("sup-a"), reply)
    assert replied["reply"]["text"] == "Thank you"
    status, problem = await catalog.call("POST", path, catalog.supplier_token("sup-a"), reply)
    assert (status, slug(problem)) == (409, "review-reply-already-posted")
    stored = await catalog.ok("GET", "/v1/suppliers/sup-a/reviews", catalog.tokens.buyer("b-9"))
    assert stored["reviews"][0]["reply"]["text"] == "Thank you"


async def test_the_store_rating_ranks_and_filters_the_suppliers_products(
    catalog: Catalog, inject: EventInjector
) -> None:
    product_id = await completed_order(catalog, inject)
    assert await catalog.found(min_rating=4.5) == []
    await catalog.ok(
        "POST", "/v1/reviews", catalog.tokens.buyer("b-1"), review("o-1", "store", "sup-a", stars=5)
    )
    page = await catalog.search(min_rating=4.5, explain=True)
    assert [item["id"] for item in page["items"]] == [product_id]
    assert page["items"][0]["supplier"]["rating"] == 5.0
    assert page["items"][0]["score"]["parts"]["rating"] == 1.0
    assert (await catalog.found(sort="orders"))[0] == product_id


async def test_readers_see_a_pseudonymous_verified_buyer_and_the_reviewer_and_ops_see_their_own(
    catalog: Catalog, inject: EventInjector
) -> None:
    # Given b-1's reviews of the product and the store of one completed order
    product_id = await completed_order(catalog, inject)
    buyer = catalog.tokens.buyer("b-1")
    await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "product", product_id))
    await catalog.ok("POST", "/v1/reviews", buyer, review("o-1", "store", "sup-a"))
    path = f"/v1/products/{product_id}/reviews"

    # When another buyer, the supplier and a supplier token carrying b-1's id read them
    others = [catalog.tokens.buyer("b-2"), catalog.supplier_token("sup-a"), catalog.tokens.supplier("b-1")]
    seen = [(await catalog.ok("GET", path, token))["reviews"][0] for token in others]

    # Then each sees a verified buyer's pseudonym, never the buyer's or the order's id
    for shown in seen:
        assert shown["reviewer"].startswith("Verified buyer ")
        assert "b-1" not in str(shown)
        assert "o-1" not in str(shown)
    store = (await catalog.ok("GET", "/v1/suppliers/sup-a/reviews", others[0]))["reviews"][0]
    assert store["reviewer"] == seen[0]["reviewer"]  # one order's reviews carry one pseudonym

    # And the reviewer and operations still see the buyer and the order
    for token in (buyer, catalog.tokens.ops("ops-1", "ops:mediator")):
        own = (await catalog.ok("GET", path, token))["reviews"][0]
        assert (own["buyer_id"], own["order_id"]) == ("b-1", "o-1")
