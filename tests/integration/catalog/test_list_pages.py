"""Every catalog list pages the same way: capped limits, opaque cursors bound to their query and caller,
and keyset pages that neither skip nor repeat an item while others are being added."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.integration.catalog.support import Catalog, certification, profile
from tests.support.lists import read_all, read_page


@dataclass(frozen=True)
class CatalogList:
    """One list as a client reads it, and how a test adds its `n`-th item."""

    path: str
    reader: Callable[[Catalog], str]
    add: Callable[[Catalog, int], Awaitable[None]]
    key: str = "id"

    async def fill(self, catalog: Catalog, count: int, start: int = 0) -> None:
        for n in range(start, start + count):
            await self.add(catalog, n)
            catalog.clock.advance(timedelta(minutes=1))


async def _supplier(catalog: Catalog, n: int) -> None:
    # Names interleave with later additions, so new suppliers also land after the cursor.
    body = profile(legal_name=f"Supplier {n % 3}-{n:02}")
    await catalog.ok("POST", "/v1/suppliers", catalog.supplier_token(f"sup-{n:02}"), body)


async def _product(catalog: Catalog, n: int) -> None:
    if n == 0:
        await catalog.register("sup-a")
    await catalog.list_product("sup-a")


async def _quote(catalog: Catalog, n: int) -> None:
    if n == 0:
        await catalog.register("sup-a")
        await catalog.list_product("sup-a")
    listed = await catalog.ok("GET", "/v1/suppliers/sup-a/products", _buyer(catalog))
    body = {"product_id": listed["items"][0]["id"], "quantity": 100, "destination": "DE"}
    await catalog.ok("POST", "/v1/quotes", _buyer(catalog), body)


async def _application(catalog: Catalog, n: int) -> None:
    await catalog.register(f"sup-{n:02}")
    await catalog.record(f"sup-{n:02}", "certifications", certification(status="pending"))


def _buyer(catalog: Catalog) -> str:
    return catalog.tokens.buyer("b-1")


LISTS = {
    "directory": CatalogList("/v1/suppliers", _buyer, _supplier),
    "products": CatalogList("/v1/suppliers/sup-a/products", _buyer, _product),
    "quotes": CatalogList("/v1/quotes", _buyer, _quote),
    "applications": CatalogList(
        "/v1/verification/applications", lambda catalog: catalog.officer, _application, "supplier_id"
    ),
}
each_list = pytest.mark.parametrize("listed", LISTS.values(), ids=list(LISTS))


@each_list
async def test_following_every_page_yields_each_item_exactly_once(
    catalog: Catalog, listed: CatalogList
) -> None:
    # given seven items
    await listed.fill(catalog, 7)
    token = listed.reader(catalog)
    whole = (await read_page(catalog.service, listed.path, token=token, params={"limit": "100"}))["items"]
    # when a client follows next_cursor (and the Link header) three items at a time
    first = await read_page(catalog.service, listed.path, token=token, params={"limit": "3"})
    paged = await read_all(catalog.service, listed.path, token=token, params={"limit": "3"}, key=listed.key)
    # then it reads every item once, in the list's order, the first page holding three
    assert len(whole) == 7
    assert len(first["items"]) == 3
    assert first["next_cursor"] is not None
    assert [item[listed.key] for item in paged] == [item[listed.key] for item in whole]


@each_list
async def test_items_added_between_two_page_reads_are_neither_skipped_nor_repeated(
    catalog: Catalog, listed: CatalogList
) -> None:
    # given six items and a client that has read the first page of three
    await listed.fill(catalog, 6)
    token = listed.reader(catalog)
    before = [
        i[listed.key] for i in await read_all(catalog.service, listed.path, token=token, key=listed.key)
    ]
    first = await read_page(catalog.service, listed.path, token=token, params={"limit": "3"})
    # when three more items are added before it reads on
    await listed.fill(catalog, 3, start=6)
    rest = await read_all(
        catalog.service,
        listed.path,
        token=token,
        params={"limit": "3", "cursor": first["next_cursor"]},
        key=listed.key,
    )
    # then every item that was there is read exactly once, in its place
    seen = [item[listed.key] for item in [*first["items"], *rest]]
    assert len(seen) == len(set(seen))
    assert [key for key in seen if key in before] == before


@each_list
@pytest.mark.parametrize("limit", ["0", "101"])
async def test_a_page_size_outside_1_to_100_is_a_422_problem(
    catalog: Catalog, listed: CatalogList, limit: str
) -> None:
    await listed.fill(catalog, 1)
    response = await catalog.service.call(
        "GET", listed.path, token=listed.reader(catalog), params={"limit": limit}
    )
    assert response.status == 422
    assert response.content_type == "application/problem+json"
    assert [error["field"] for error in (await response.json())["errors"]] == ["limit"]


@each_list
async def test_a_garbled_cursor_is_a_422_problem(catalog: Catalog, listed: CatalogList) -> None:
    await listed.fill(catalog, 1)
    for garbled in ("not-a-cursor", "eyJ2IjoxfQ", "x" * 3_000):
        status, problem = await catalog.call("GET", listed.path, listed.reader(catalog), cursor=garbled)
        assert status == 422, (garbled, problem)


async def test_a_quote_cursor_serves_only_the_party_it_was_issued_to(catalog: Catalog) -> None:
    # given b-1 holds a cursor into its quotes
    await LISTS["quotes"].fill(catalog, 3)
    page = await read_page(catalog.service, "/v1/quotes", token=_buyer(catalog), params={"limit": "1"})
    # when another buyer or the supplier presents it, then it is refused
    for other in (catalog.tokens.buyer("b-2"), catalog.supplier_token("sup-a")):
        status, _ = await catalog.call("GET", "/v1/quotes", other, limit=1, cursor=page["next_cursor"])
        assert status == 422
    # and with other filters or another sort, too
    for changed in ({"sort": "expiring"}, {"product_id": "prod_x"}):
        status, _ = await catalog.call(
            "GET", "/v1/quotes", _buyer(catalog), cursor=page["next_cursor"], **changed
        )
        assert status == 422


async def test_a_list_cursor_is_refused_with_other_filters_or_another_suppliers_list(
    catalog: Catalog,
) -> None:
    # given cursors into the directory, sup-a's products and the verification queue
    await LISTS["applications"].fill(catalog, 3)
    await catalog.list_product("sup-00")
    await catalog.list_product("sup-00")
    buyer = _buyer(catalog)
    directory = await read_page(catalog.service, "/v1/suppliers", token=buyer, params={"limit": "1"})
    products = await read_page(
        catalog.service, "/v1/suppliers/sup-00/products", token=buyer, params={"limit": "1"}
    )
    queue = await read_page(
        catalog.service, "/v1/verification/applications", token=catalog.officer, params={"limit": "1"}
    )
    # then each is refused under other filters, another sort or another supplier
    refused = [
        ("/v1/suppliers", buyer, {"cursor": directory["next_cursor"], "country": "CN"}),
        ("/v1/suppliers", buyer, {"cursor": directory["next_cursor"], "sort": "newest"}),
        ("/v1/suppliers/sup-01/products", buyer, {"cursor": products["next_cursor"]}),
        (
            "/v1/verification/applications",
            catalog.officer,
            {"cursor": queue["next_cursor"], "kind": "patent"},
        ),
    ]
    for path, token, params in refused:
        status, problem = await catalog.call("GET", path, token, **params)
        assert status == 422, (path, params, problem)
