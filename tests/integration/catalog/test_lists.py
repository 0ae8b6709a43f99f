"""The catalog's lists: who sees which items (BOLA), their filters, sorts and next actions.

Paging itself (limits, cursors, inserts between pages) is proven in test_list_pages.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.catalog.support import DAY, Catalog, at, certification, profile, terms
from tests.integration.catalog.test_reviews import completed_order, review
from tests.support.lists import read_all
from tests.support.services import EventInjector

APPLICATIONS = "/v1/verification/applications"
# What the directory must never show: the verification evidence and the supplier's private figures.
PRIVATE = {"audits", "credential_checks", "gold_memberships", "client_cases", "export_percentile", "metrics"}


async def ids(catalog: Catalog, path: str, token: str, key: str = "id", **params: str) -> list[str]:
    return [item[key] for item in await read_all(catalog.service, path, token=token, params=params, key=key)]


async def quote(catalog: Catalog, buyer_id: str, product_id: str) -> str:
    """A quote issued now; the clock then moves a minute on, so the next quote is newer."""
    body = {"product_id": product_id, "quantity": 100, "destination": "DE"}
    issued = await catalog.ok("POST", "/v1/quotes", catalog.tokens.buyer(buyer_id), body)
    catalog.clock.advance(timedelta(minutes=1))
    return str(issued["quote"]["id"])


async def test_the_directory_shows_every_supplier_to_every_role_with_public_fields_only(
    catalog: Catalog,
) -> None:
    # given two suppliers, one of them Verified
    await catalog.register("sup-a")
    await catalog.register("sup-b")
    await catalog.make_verified("sup-b")
    # when a buyer, a supplier and a verification officer read the directory
    readers = [catalog.tokens.buyer("b-1"), catalog.supplier_token("sup-a"), catalog.officer]
    pages = [await read_all(catalog.service, "/v1/suppliers", token=token) for token in readers]
    # then each sees both, with badges but without audits, checks or figures
    assert all(page == pages[0] for page in pages)
    assert sorted(item["id"] for item in pages[0]) == ["sup-a", "sup-b"]
    verified = next(item for item in pages[0] if item["id"] == "sup-b")
    assert verified["badges"]["verified"] is True
    assert not PRIVATE & set(verified)


async def test_the_directory_filters_by_badge_verified_type_country_and_certification(
    catalog: Catalog,
) -> None:
    # given Verified, Verified Pro (with ISO 9001), brand-holder and unverified suppliers in three countries
    await catalog.register("sup-cn", country="CN")
    await catalog.make_verified("sup-cn")
    await catalog.register("sup-vn", country="VN")
    await catalog.make_verified_pro("sup-vn")
    await catalog.register("sup-brand", country="CN")
    await catalog.make_verified("sup-brand", supplier_type="brand_holder")
    await catalog.register("sup-in", country="IN")
    buyer = catalog.tokens.buyer("b-1")
    # then each filter keeps only the suppliers it names
    assert sorted(await ids(catalog, "/v1/suppliers", buyer, badge="verified")) == [
        "sup-brand",
        "sup-cn",
        "sup-vn",
    ]
    assert await ids(catalog, "/v1/suppliers", buyer, badge="verified_pro") == ["sup-vn"]
    assert await ids(catalog, "/v1/suppliers", buyer, badge="gold") == []
    assert await ids(catalog, "/v1/suppliers", buyer, supplier_type="brand_holder") == ["sup-brand"]
    assert sorted(await ids(catalog, "/v1/suppliers", buyer, country="CN")) == ["sup-brand", "sup-cn"]
    assert await ids(catalog, "/v1/suppliers", buyer, certification="ISO 9001") == ["sup-vn"]
    assert await ids(catalog, "/v1/suppliers", buyer, badge="verified", country="IN") == []


async def test_the_directory_sorts_by_name_newest_or_store_rating(
    catalog: Catalog, inject: EventInjector
) -> None:
    # given sup-a (rated 4 stars), then a day later "Anhui" and "zeta" (unrated; names sort case-blind)
    await completed_order(catalog, inject)
    await catalog.ok("POST", "/v1/reviews", catalog.tokens.buyer("b-1"), review("o-1", "store", "sup-a"))
    catalog.clock.advance(DAY)
    for supplier_id, name in (("sup-z", "zeta Tools"), ("sup-b", "Anhui Brass")):
        body = profile(legal_name=name)
        await catalog.ok("POST", "/v1/suppliers", catalog.supplier_token(supplier_id), body)
        catalog.clock.advance(DAY)
    buyer = catalog.tokens.buyer("b-2")
    # then: A→Z, the newest registration first, the best store rating first
    assert await ids(catalog, "/v1/suppliers", buyer, sort="name") == ["sup-b", "sup-a", "sup-z"]
    assert await ids(catalog, "/v1/suppliers", buyer, sort="newest") == ["sup-b", "sup-z", "sup-a"]
    assert (await ids(catalog, "/v1/suppliers", buyer, sort="rating"))[0] == "sup-a"


async def test_a_suppliers_products_are_public_newest_first_and_never_another_suppliers(
    catalog: Catalog,
) -> None:
    # given sup-a lists three products a day apart, the last in another category, and sup-b one
    await catalog.register("sup-a")
    await catalog.register("sup-b")
    listed = []
    for category in ("drinkware", "drinkware", "cookware"):
        listed.append(await catalog.list_product("sup-a", terms(category_id=category)))
        catalog.clock.advance(DAY)
    await catalog.list_product("sup-b")
    path = "/v1/suppliers/sup-a/products"
    # then anyone sees sup-a's, newest first, and sup-a sees the same list
    for token in (
        catalog.tokens.buyer("b-1"),
        catalog.supplier_token("sup-b"),
        catalog.supplier_token("sup-a"),
    ):
        assert await ids(catalog, path, token) == listed[::-1]
    assert await ids(catalog, path, catalog.tokens.buyer("b-1"), category="drinkware") == listed[1::-1]
    # and naming another supplier in the query is refused, an unknown supplier is not found
    status, _ = await catalog.call("GET", path, catalog.tokens.buyer("b-1"), supplier_id="sup-b")
    assert status == 422
    status, _ = await catalog.call("GET", "/v1/suppliers/nobody/products", catalog.tokens.buyer("b-1"))
    assert status == 404


async def test_a_buyer_sees_only_its_own_quotes_and_a_supplier_only_those_on_its_products(
    catalog: Catalog,
) -> None:
    # given b-1 quoted sup-a's and sup-b's products, b-2 quoted sup-a's
    await catalog.register("sup-a")
    await catalog.register("sup-b")
    of_a, of_b = await catalog.list_product("sup-a"), await catalog.list_product("sup-b")
    b1_a, b1_b, b2_a = [await quote(catalog, b, p) for b, p in (("b-1", of_a), ("b-1", of_b), ("b-2", of_a))]
    b1, b2 = catalog.tokens.buyer("b-1"), catalog.tokens.buyer("b-2")
    # then each party sees its own, newest first
    assert await ids(catalog, "/v1/quotes", b1) == [b1_b, b1_a]
    assert await ids(catalog, "/v1/quotes", b2) == [b2_a]
    assert await ids(catalog, "/v1/quotes", catalog.supplier_token("sup-a")) == [b2_a, b1_a]
    assert await ids(catalog, "/v1/quotes", catalog.supplier_token("sup-b")) == [b1_b]
    # and filtering by another party's product or naming another party never leaks an item
    assert await ids(catalog, "/v1/quotes", b2, product_id=of_b) == []
    assert await ids(catalog, "/v1/quotes", catalog.supplier_token("sup-b"), product_id=of_a) == []
    for foreign in ({"buyer_id": "b-1"}, {"supplier_id": "sup-a"}):
        status, _ = await catalog.call("GET", "/v1/quotes", b2, **foreign)
        assert status == 422


async def test_a_valid_quote_asks_its_buyer_to_order_before_it_expires_and_an_expired_one_nothing(
    catalog: Catalog,
) -> None:
    # given a quote issued now (valid 24 hours)
    await catalog.register("sup-a")
    quote_id = await quote(catalog, "b-1", await catalog.list_product("sup-a"))
    buyer = catalog.tokens.buyer("b-1")
    # then it is valid and the buyer's next action is due when it expires
    (item,) = (await catalog.ok("GET", "/v1/quotes", buyer))["items"]
    assert (item["id"], item["status"]) == (quote_id, "valid")
    assert item["next_action"] == {"actor": "buyer", "action": "place_order", "due_at": item["expires_at"]}
    # when the price lock ends, then it is expired and asks nothing
    catalog.clock.advance(DAY)
    (item,) = (await catalog.ok("GET", "/v1/quotes", buyer))["items"]
    assert (item["status"], item["next_action"]) == ("expired", None)


async def test_the_buyers_quote_to_do_is_the_valid_quotes_that_expire_first(catalog: Catalog) -> None:
    # given three quotes issued an hour apart, the first of which has expired by now
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    first_issued, issued = catalog.clock.now(), []
    for _ in range(3):
        issued.append(await quote(catalog, "b-1", product_id))
        catalog.clock.advance(timedelta(hours=1))
    catalog.clock.advance(first_issued + DAY + timedelta(minutes=30) - catalog.clock.now())
    buyer, now = catalog.tokens.buyer("b-1"), at(catalog.clock.now())
    # then the to-do sort shows the valid ones, the one expiring first first
    assert await ids(catalog, "/v1/quotes", buyer, sort="expiring", expires_after=now) == issued[1:]
    assert await ids(catalog, "/v1/quotes", buyer, sort="newest") == issued[::-1]


async def test_the_verification_queue_serves_the_longest_waiting_pending_documents_first(
    catalog: Catalog,
) -> None:
    # given sup-a's certificate pending for two days, sup-b's patent for one, sup-c's certificate verified
    for supplier_id in ("sup-a", "sup-b", "sup-c"):
        await catalog.register(supplier_id)
    await catalog.record("sup-a", "certifications", certification(status="pending"))
    catalog.clock.advance(DAY)
    await catalog.record(
        "sup-b", "certifications", certification(kind="patent", number="P-1", status="pending")
    )
    await catalog.record("sup-c", "certifications", certification())
    catalog.clock.advance(DAY)
    # when the verification desk reads its queue
    queue = (await catalog.ok("GET", APPLICATIONS, catalog.officer))["items"]
    # then the pending applications come oldest first, with their age, documents and the desk's next action
    assert [(item["supplier_id"], item["age"]) for item in queue] == [("sup-a", "P2D"), ("sup-b", "P1D")]
    assert [doc["number"] for doc in queue[0]["pending_documents"]] == ["ISO-9001-123"]
    assert queue[0]["next_action"] == {"actor": "verification", "action": "review_documents", "due_at": None}
    assert await ids(catalog, APPLICATIONS, catalog.officer, "supplier_id", kind="patent") == ["sup-b"]
    assert await ids(catalog, APPLICATIONS, catalog.officer, "supplier_id", status="reviewed") == ["sup-c"]
    # when sup-a's certificate is confirmed, then its application leaves the queue
    await catalog.record("sup-a", "certifications/ISO-9001-123/status", {"status": "verified"}, method="PUT")
    assert await ids(catalog, APPLICATIONS, catalog.officer, "supplier_id") == ["sup-b"]


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (APPLICATIONS, "buyer"),
        (APPLICATIONS, "supplier"),
        (APPLICATIONS, "ops:mediator"),
        ("/v1/quotes", "ops:verification"),
        ("/v1/quotes", "ops:finance"),
        ("/v1/suppliers", "service:catalog"),
    ],
)
async def test_a_role_outside_a_list_is_forbidden(catalog: Catalog, path: str, role: str) -> None:
    token = catalog.tokens.buyer("b-1") if role == "buyer" else catalog.tokens.mint("someone", role)
    status, problem = await catalog.call("GET", path, token)
    assert status == 403, problem
