"""Every scope and sort of every logistics list has a declared index, or the service refuses to start."""

from __future__ import annotations

from services.logistics.adapters.lists import LIST_INDEXES, LISTS
from shared.mongo import Indexes
from shared.paging import uncovered


def test_every_scope_and_sort_of_every_logistics_list_has_a_declared_index() -> None:
    assert uncovered(LISTS, LIST_INDEXES) == []


def test_a_list_whose_index_is_missing_is_named_by_its_scope_and_sort() -> None:
    # Given the list indexes without those that start with the supplier
    without_supplier = [
        Indexes(declared.collection, [m for m in declared.models if "supplier_id" not in m.document["key"]])
        for declared in LIST_INDEXES
    ]

    # Then each list's supplier scope is reported, sort by sort
    gaps = uncovered(LISTS, without_supplier)
    assert gaps == [
        "shipments: scope ['supplier_id'] sorted by newest",
        "shipments: scope ['supplier_id'] sorted by dispatch_due",
        "inspections: scope ['supplier_id'] sorted by newest",
        "inspections: scope ['supplier_id'] sorted by booked",
        "returns: scope ['supplier_id'] sorted by newest",
    ]
