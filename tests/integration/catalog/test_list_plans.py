"""Every catalog list query, whatever its scope, filter and sort, walks an index, never the collection.

SecantusDB plans a find over one index only when that index holds every field the filter names; MongoDB
also walks an index with further filters checked on the fetched documents (a combination of directory
tags), which this server cannot show, so combinations are not asserted here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.catalog.adapters.product_search import plan_stages
from shared.paging import ListSpec
from shared.service import LISTS
from tests.integration.catalog.support import Catalog

# A value of the shape each filter takes (the plan depends on the shape, not the value).
SAMPLE_VALUES: dict[str, Any] = {
    "expires_at": {"$gt": datetime(2026, 1, 1, tzinfo=UTC)},
    "tags": "verified",
}
# Filters a route always sets: the verification queue is always of one status.
ALWAYS: dict[str, set[str]] = {"verification_queue": {"application_status"}}


def queries(spec: ListSpec) -> list[tuple[dict[str, Any], str]]:
    """Each scope without a filter and with each filter, under each ordering."""
    found = []
    always = ALWAYS.get(spec.name, set())
    for scope in spec.scopes:
        for extra in [None, *sorted(spec.filters - always)]:
            names = always | ({extra} if extra else set())
            filters = {name: SAMPLE_VALUES.get(name, "x") for name in names}
            for ordering in spec.orderings:
                listing = spec.listing(
                    scope=dict.fromkeys(scope, "someone"), filters=filters, ordering=ordering.name, limit=20
                )
                found.append((listing.query(), ordering.name))
    return found


async def test_every_list_query_of_the_catalog_is_served_by_an_index(catalog: Catalog) -> None:
    # given the catalog's declared lists and indexes (created at start)
    db, specs = catalog.service.platform.db, catalog.service.client.app[LISTS]
    assert {spec.name for spec in specs} == {
        "supplier_directory",
        "supplier_products",
        "quotes",
        "verification_queue",
    }
    scans = []
    for spec in specs:
        for query, ordering in queries(spec):
            sort = dict(spec.ordering(ordering).sort)
            # when the server explains the page's query, then it walks an index
            command = {"find": spec.collection, "filter": query, "sort": sort, "limit": 21}
            stages = plan_stages(await db.command("explain", command, verbosity="queryPlanner"))
            if "COLLSCAN" in stages or "IXSCAN" not in stages:
                scans.append((spec.name, query, ordering, stages))
    assert scans == [], "\n".join(map(str, scans))
