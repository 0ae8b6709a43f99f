"""The lists logistics serves: each declares the indexes of its scopes and orderings (shared.paging).

A buyer or a supplier sees its own items (`buyer_id` / `supplier_id`), an ops desk the whole collection
(`()`); every page walks the index of its scope and ordering.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING

from shared.paging import ListSpec, Ordering

from .repositories import DISPATCH_DUE_FIELD, FUNDED_FIELD, INSPECTIONS, RETURNS, SHIPMENTS, STAGE_FIELD

PARTY_FIELDS = ("buyer_id", "supplier_id")
SCOPES: tuple[tuple[str, ...], ...] = (("buyer_id",), ("supplier_id",), ())

SHIPMENT_LIST = ListSpec(
    name="shipments",
    collection=SHIPMENTS,
    scopes=SCOPES,
    filters=frozenset({STAGE_FIELD, "status", "order_id", DISPATCH_DUE_FIELD, *PARTY_FIELDS}),
    orderings=(
        Ordering("newest", ((FUNDED_FIELD, DESCENDING),)),
        # The supplier's "to dispatch" queue: the deadline the SLA monitor judges first.
        Ordering("dispatch_due", ((DISPATCH_DUE_FIELD, ASCENDING),)),
    ),
)

INSPECTION_LIST = ListSpec(
    name="inspections",
    collection=INSPECTIONS,
    scopes=SCOPES,
    filters=frozenset({"status", "order_id", *PARTY_FIELDS}),
    orderings=(
        Ordering("newest", (("booked_at", DESCENDING),)),
        # The agencies' backlog: the longest-waiting booking first.
        Ordering("booked", (("booked_at", ASCENDING),)),
    ),
)

RETURN_LIST = ListSpec(
    name="returns",
    collection=RETURNS,
    scopes=SCOPES,
    filters=frozenset({"status", "order_id", *PARTY_FIELDS}),
    orderings=(Ordering("newest", (("issued_at", DESCENDING),)),),
)

LISTS = [SHIPMENT_LIST, INSPECTION_LIST, RETURN_LIST]
