"""Where the database explains its plans, every list query of every service walks its index.

Pages are read with the list's own index as the hint (shared.paging); this proves the database takes it.
Real MongoDB also reads the index in sort order; SecantusDB's planner still adds an in-memory SORT of the
walked entries, which is why the check is on the scan, not on the sort.
"""

from __future__ import annotations

from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from deploy.asyncapi import built_apps
from shared.mongo import Document, Indexes, ensure_indexes
from shared.paging import ListSpec
from shared.service import INDEXES, LISTS


def _stages(plan: Any) -> set[str]:
    """Every stage name in an explained plan, whatever the server's nesting."""
    if isinstance(plan, dict):
        found = {str(plan["stage"])} if "stage" in plan else set()
        return found.union(*(_stages(value) for value in plan.values()))
    if isinstance(plan, list):
        return set().union(*(_stages(item) for item in plan))
    return set()


async def _winning_stages(db: AsyncDatabase[Document], spec: ListSpec, scope: tuple[str, ...]) -> set[str]:
    ordering = spec.orderings[0]
    listing = spec.listing(scope=dict.fromkeys(scope, "someone"), ordering=ordering.name, limit=20)
    command = {
        "find": spec.collection,
        "filter": listing.query(),
        "sort": dict(ordering.sort),
        "limit": 21,
        "hint": dict(listing.index or []),
    }
    explained = await db.command("explain", command)
    return _stages(explained.get("queryPlanner", {}).get("winningPlan", explained))


async def test_every_list_query_walks_its_index_instead_of_scanning_the_collection(
    db: AsyncDatabase[Document],
) -> None:
    checked = 0
    for service, app in built_apps(sandbox=True):
        indexes: tuple[Indexes, ...] = app[INDEXES]
        await ensure_indexes(db, indexes)
        for spec in app[LISTS]:
            for scope in spec.scopes:
                try:
                    stages = await _winning_stages(db, spec, scope)
                except OperationFailure:
                    pytest.skip("this database does not explain query plans")
                if not stages:
                    pytest.skip("this database's explain output names no plan stages")
                assert "IXSCAN" in stages, f"{service} {spec.name} scope {scope}: {stages}"
                assert "COLLSCAN" not in stages, f"{service} {spec.name} scope {scope}: {stages}"
                checked += 1
    assert checked > 0
