"""How a person finds an id: in a list they are shown (their orders, their to-dispatch queue, the mediation
queue), page by page, by what they can see on the row (the order number, the product), not from memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deploy.journey.steps import Caller

Row = dict[str, Any]
# A person gives up after a few pages; a list that hides the row that far down is not usable.
MAX_PAGES = 10


async def find_row(
    caller: Caller,
    service: str,
    path: str,
    *,
    token: str,
    wanted: Callable[[Row], bool],
    params: dict[str, str] | None = None,
) -> Row | None:
    """The first row of the list that `wanted` picks, reading at most MAX_PAGES pages of 100."""
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        query = {"limit": "100", **(params or {}), **({"cursor": cursor} if cursor else {})}
        page = await caller.call(service, "GET", path, token=token, params=query)
        for row in page["items"]:
            if wanted(row):
                return dict(row)
        cursor = page["next_cursor"]
        if cursor is None:
            return None
    return None


def of_order(order_id: str) -> Callable[[Row], bool]:
    """The row of one order: what a party reads off the order number on its screen."""
    return lambda row: row.get("order_id") == order_id


async def shipment_to_dispatch(caller: Caller, supplier: str, order_id: str) -> Row | None:
    """The order's row in the supplier's to-dispatch queue, soonest deadline first; None until it is there."""
    return await find_row(
        caller,
        "logistics",
        "/v1/shipments",
        token=supplier,
        wanted=of_order(order_id),
        params={"stage": "awaiting_dispatch", "sort": "dispatch_due"},
    )
