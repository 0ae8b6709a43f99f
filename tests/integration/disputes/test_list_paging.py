"""Every disputes list pages alike: by opaque cursor, each item exactly once even while items are added,
and a cursor serves only the query and the caller it was issued to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.disputes.journey import OTHER_BUYER, Disputes
from tests.integration.disputes.test_lists import LABEL, REASONS, escalated, listed, requested
from tests.support.lists import read_all, read_page

SEEDED = 4


@dataclass(frozen=True)
class ListCase:
    """One list, how to put an item on it for its reader, and a query its cursors must not serve."""

    path: str
    key: str
    reader: Callable[[Disputes], str]
    add: Callable[[Disputes, int], Awaitable[None]]
    other_filter: dict[str, str]
    # Another caller of the same list who sees other items; None for a desk, where all see the same.
    other_caller: Callable[[Disputes], str] | None = None
    labels: tuple[Any, ...] = ()


async def add_claim(disputes: Disputes, n: int) -> None:
    await disputes.claim("ord-1", reason=REASONS[n])


async def add_escalated_claim(disputes: Disputes, n: int) -> None:
    await escalated(disputes, await disputes.claim("ord-1", reason=REASONS[n]))


async def add_request(disputes: Disputes, n: int) -> None:
    await requested(disputes, "ord-1")


CASES = [
    pytest.param(
        ListCase(
            "/v1/disputes",
            "claim_id",
            lambda d: d.buyer(),
            add_claim,
            {"status": "awaiting_supplier"},
            lambda d: d.buyer(OTHER_BUYER),
        ),
        id="claims",
    ),
    pytest.param(
        ListCase(
            "/v1/mediation/queue",
            "claim_id",
            lambda d: d.mediator(),
            add_escalated_claim,
            {"status": "escalated"},
        ),
        id="mediation-queue",
    ),
    pytest.param(
        ListCase(
            "/v1/after-sales-requests",
            "request_id",
            lambda d: d.buyer(),
            add_request,
            {"status": "open"},
            lambda d: d.buyer(OTHER_BUYER),
            labels=(LABEL,),
        ),
        id="after-sales-requests",
    ),
]


async def seeded(disputes: Disputes, case: ListCase) -> list[str]:
    """Four items an hour apart on buyer-1's delivered order, as the list's reader sees them."""
    await disputes.delivered("ord-1", labels=case.labels)
    for n in range(SEEDED):
        await case.add(disputes, n)
        disputes.clock.advance(timedelta(hours=1))
    return [item[case.key] for item in await listed(disputes, case.path, case.reader(disputes))]


@pytest.mark.parametrize("case", CASES)
async def test_following_next_cursor_yields_every_item_once_in_list_order(
    disputes: Disputes, case: ListCase
) -> None:
    # Given four items on the list
    everything = await seeded(disputes, case)
    assert len(everything) == SEEDED

    # When a client reads it one item per page, following `next_cursor` (and the Link header with it)
    paged = await read_all(
        disputes.service, case.path, token=case.reader(disputes), params={"limit": "1"}, key=case.key
    )

    # Then it reads every item once, in the order of the one-page read
    assert [item[case.key] for item in paged] == everything


@pytest.mark.parametrize("case", CASES)
async def test_items_added_while_paging_neither_skip_nor_repeat_the_items_already_listed(
    disputes: Disputes, case: ListCase
) -> None:
    # Given a client that read the first page of two
    before = await seeded(disputes, case)
    token = case.reader(disputes)
    page = await read_page(disputes.service, case.path, token=token, params={"limit": "2"})
    seen = [item[case.key] for item in page["items"]]

    # When two items are added before it reads on
    for n in range(SEEDED, SEEDED + 2):
        await case.add(disputes, n)
    while page["next_cursor"] is not None:
        params = {"limit": "2", "cursor": page["next_cursor"]}
        page = await read_page(disputes.service, case.path, token=token, params=params)
        seen += [item[case.key] for item in page["items"]]

    # Then each item listed before was read exactly once
    assert all(seen.count(key) == 1 for key in before), seen


@pytest.mark.parametrize("case", CASES)
async def test_a_page_size_above_100_is_a_422_problem(disputes: Disputes, case: ListCase) -> None:
    response = await disputes.service.call(
        "GET", case.path, token=case.reader(disputes), params={"limit": "101"}
    )

    assert response.status == 422
    assert response.content_type == "application/problem+json"
    assert [error["field"] for error in (await response.json())["errors"]] == ["limit"]


@pytest.mark.parametrize("case", CASES)
async def test_a_garbled_cursor_is_a_422_problem(disputes: Disputes, case: ListCase) -> None:
    params = {"cursor": "not-a-cursor"}
    response = await disputes.service.call("GET", case.path, token=case.reader(disputes), params=params)

    assert response.status == 422
    assert [error["field"] for error in (await response.json())["errors"]] == ["cursor"]


@pytest.mark.parametrize("case", CASES)
async def test_a_cursor_serves_only_the_filters_and_the_caller_it_was_issued_to(
    disputes: Disputes, case: ListCase
) -> None:
    # Given the cursor of a first page
    await seeded(disputes, case)
    first = await read_page(disputes.service, case.path, token=case.reader(disputes), params={"limit": "1"})
    cursor = first["next_cursor"]
    assert cursor is not None

    # When it is replayed with other filters, or by another caller of the list
    replays = [(case.reader(disputes), {**case.other_filter, "cursor": cursor})]
    if case.other_caller is not None:
        replays.append((case.other_caller(disputes), {"cursor": cursor}))

    # Then it is refused as a problem naming the cursor
    for token, params in replays:
        response = await disputes.service.call("GET", case.path, token=token, params=params)
        assert response.status == 422, params
        assert [error["field"] for error in (await response.json())["errors"]] == ["cursor"]
