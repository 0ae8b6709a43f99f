"""Every list is read through its own index, and pages by position: shared.paging, without a database."""

from __future__ import annotations

import pytest
from pymongo import ASCENDING, DESCENDING

from deploy.asyncapi import built_apps
from shared.paging import InvalidCursor, ListSpec, Ordering
from shared.service import INDEXES, LISTS

NEWEST = Ordering("newest", (("placed_at", DESCENDING),))
ORDERS = ListSpec(
    "t.orders",
    "orders",
    scopes=(("buyer_id",), ()),
    filters=frozenset({"status", "buyer_id"}),
    orderings=(NEWEST,),
)


def test_every_list_query_of_every_service_is_read_through_a_declared_index() -> None:
    queries = 0
    for service, app in built_apps(sandbox=True):
        declared = {
            (declaration.collection, tuple(model.document["key"].items()))
            for declaration in app[INDEXES]
            for model in declaration.models
        }
        for spec in app[LISTS]:
            for scope in spec.scopes:
                for ordering in spec.orderings:
                    listing = spec.listing(scope=dict.fromkeys(scope, "x"), ordering=ordering.name, limit=1)
                    assert listing.index is not None
                    assert (spec.collection, tuple(listing.index)) in declared, (service, spec.name, scope)
                    queries += 1
    # The escrow orders list alone has three scopes and two orderings.
    assert queries >= 6


def test_a_list_index_is_its_scope_then_its_sort_then_the_id_and_serves_the_reverse_order_too() -> None:
    oldest = Ordering("oldest", (("placed_at", ASCENDING),))
    spec = ListSpec("t.o", "orders", scopes=(("buyer_id",),), filters=frozenset(), orderings=(NEWEST, oldest))
    # Without `_id` last the database would sort every item in scope in memory to break ties.
    assert spec.index_keys(("buyer_id",), NEWEST) == [("buyer_id", 1), ("placed_at", 1), ("_id", 1)]
    assert [model.document["key"] for model in spec.indexes.models] == [
        {"buyer_id": 1, "placed_at": 1, "_id": 1}
    ]


def test_a_desk_filtering_by_a_party_walks_that_partys_index() -> None:
    listing = ORDERS.listing(scope={}, filters={"buyer_id": "b-1"}, limit=20)
    assert listing.index == [("buyer_id", 1), ("placed_at", 1), ("_id", 1)]
    everyone = ORDERS.listing(scope={}, filters={"status": {"$in": ["funded"]}}, limit=20)
    assert everyone.index == [("placed_at", 1), ("_id", 1)]


def test_a_filter_on_a_scope_field_narrows_the_scope_and_never_replaces_it() -> None:
    listing = ORDERS.listing(scope={"buyer_id": "b-2"}, filters={"buyer_id": "b-1"}, limit=20)
    assert listing.filter == {"buyer_id": "b-2", "$and": [{"buyer_id": "b-1"}]}


def test_a_cursor_is_refused_by_a_listing_of_another_caller_or_filter() -> None:
    mine = ORDERS.listing(scope={"buyer_id": "b-1"}, limit=1)
    cursor = mine.cursor_after({"_id": "o-1", "placed_at": None})
    assert "$and" in ORDERS.listing(scope={"buyer_id": "b-1"}, limit=1, cursor=cursor).query()
    for other in (
        ORDERS.listing(scope={"buyer_id": "b-2"}, limit=1, cursor=cursor),
        ORDERS.listing(scope={"buyer_id": "b-1"}, filters={"status": "funded"}, limit=1, cursor=cursor),
        ORDERS.listing(scope={"buyer_id": "b-1"}, limit=1, cursor=cursor[:-4] + "AAAA"),
        ORDERS.listing(scope={"buyer_id": "b-1"}, limit=1, cursor="%%%"),
    ):
        with pytest.raises(InvalidCursor):
            other.query()


def test_an_undeclared_scope_or_filter_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no scope"):
        ORDERS.listing(scope={"supplier_id": "s-1"}, limit=1)
    with pytest.raises(ValueError, match="no filters"):
        ORDERS.listing(scope={}, filters={"currency": "USD"}, limit=1)
