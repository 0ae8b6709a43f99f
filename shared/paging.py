"""Keyset pages over one MongoDB collection: every list in every service reads through here.

A list is declared once as a `ListSpec`: its collection, the scopes a caller's token can put on it (the
fields that make it "mine"), the filters it accepts and its orderings. A request becomes a `Listing` of
that spec, and a page is read by sort position, never by offset: the cursor holds the last item's sort
values and `_id`, so an item inserted while someone pages is either before the cursor or after it, and
nothing is skipped or repeated. Every ordering ends with `_id`, which makes each position unique.

The cursor is opaque to clients and bound to its query: it carries a fingerprint of the spec, the
ordering and the filter (scope included), so it cannot be replayed against another query or caller.

A spec declares its own indexes, one per scope and ordering (scope fields, sort keys, `_id`), and every
page is read with that index as the hint: the walk is bounded by the page whatever the collection's size
and whatever a planner would guess. Further filters are checked on the walk's entries.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from bson import ObjectId
from pymongo import IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from shared.errors import Rejected
from shared.mongo import Document, Indexes, Session

T = TypeVar("T")
ASCENDING, DESCENDING = 1, -1
CURSOR_VERSION = 1


class InvalidCursor(Rejected):
    """The cursor was not issued for this list, these filters and this caller, or is garbled."""

    code = "invalid_cursor"
    field = "cursor"


@dataclass(frozen=True)
class Ordering:
    """A named sort of a list (`dispatch_due`: `dispatch_due_at` ascending); `_id` breaks ties."""

    name: str
    keys: tuple[tuple[str, int], ...]

    @property
    def sort(self) -> list[tuple[str, int]]:
        return [*self.keys, ("_id", self.keys[-1][1] if self.keys else ASCENDING)]


@dataclass(frozen=True)
class ListSpec:
    """One list a service serves: which scopes, filters and orderings its queries may combine.

    `scopes`: each a set of equality fields a caller is limited by (`("buyer_id",)`); `()` is an ops desk
    that sees the whole collection. `filters`: the fields a request may constrain further.
    """

    name: str
    collection: str
    scopes: tuple[tuple[str, ...], ...]
    filters: frozenset[str]
    orderings: tuple[Ordering, ...]

    def ordering(self, name: str) -> Ordering:
        for ordering in self.orderings:
            if ordering.name == name:
                return ordering
        raise ValueError(f"{self.name} has no ordering {name!r}")

    @property
    def indexes(self) -> Indexes:
        """The indexes serving every scope and ordering of this list, to declare with the service's."""
        keys = {
            tuple(self.index_keys(scope, ordering)) for scope in self.scopes for ordering in self.orderings
        }
        return Indexes(
            self.collection, [IndexModel(list(key), name=_index_name(key)) for key in sorted(keys)]
        )

    def index_keys(self, scope: Iterable[str], ordering: Ordering) -> list[tuple[str, int]]:
        """The scope's fields, then the ordering's keys and `_id`; read backwards for the reverse order."""
        # Normalised so that an ordering and its reverse (newest, oldest) share one index.
        flip = ordering.sort[0][1]
        return [*((name, ASCENDING) for name in sorted(scope)), *((k, d * flip) for k, d in ordering.sort)]

    def listing(
        self,
        *,
        scope: Mapping[str, Any],
        filters: Mapping[str, Any] | None = None,
        ordering: str | None = None,
        limit: int,
        cursor: str | None = None,
    ) -> Listing:
        """A request of this list; asking for an undeclared scope or filter is a programming error."""
        if tuple(sorted(scope)) not in {tuple(sorted(s)) for s in self.scopes}:
            raise ValueError(f"{self.name} has no scope {sorted(scope)}")
        given = {key: value for key, value in (filters or {}).items() if value is not None}
        if unknown := set(given) - self.filters:
            raise ValueError(f"{self.name} has no filters {sorted(unknown)}")
        chosen = self.ordering(ordering) if ordering else self.orderings[0]
        index = self.index_keys(self._narrowest_scope(scope, given), chosen)
        return Listing(self, _within(scope, given), chosen, limit, cursor, index)

    def _narrowest_scope(self, scope: Mapping[str, Any], filters: Mapping[str, Any]) -> tuple[str, ...]:
        """The declared scope whose index walks the fewest items: finance naming a buyer walks the buyer's."""
        fixed = set(scope) | {key for key, value in filters.items() if not isinstance(value, Mapping)}
        usable = [candidate for candidate in self.scopes if set(candidate) <= fixed]
        return max(usable, key=len)


@dataclass(frozen=True)
class Listing:
    """One page request: the filter (its scope included), the ordering, the page size and where to start."""

    spec: ListSpec
    filter: Mapping[str, Any]
    ordering: Ordering
    limit: int
    cursor: str | None = None
    index: list[tuple[str, int]] | None = None

    def query(self) -> Document:
        """The MongoDB filter of this page: the list's filter, after the cursor's position if any."""
        if self.cursor is None:
            return dict(self.filter)
        values, last_id = _decode(self.cursor, self._fingerprint())
        if len(values) != len(self.ordering.keys):
            raise InvalidCursor("not a cursor returned by this list")
        return {"$and": [dict(self.filter), _after(self.ordering.sort, [*values, last_id])]}

    def cursor_after(self, document: Mapping[str, Any]) -> str:
        """The cursor of the page that follows `document`, the last item of this one."""
        values = [_value_at(document, key) for key, _ in self.ordering.keys]
        payload = {"v": CURSOR_VERSION, "f": self._fingerprint(), "k": [_tag(v) for v in values]}
        payload["i"] = _tag(document["_id"])
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def projected(self, fields: Iterable[str]) -> dict[str, int]:
        """A projection of `fields` plus what the next cursor is made of."""
        return {**dict.fromkeys(fields, 1), **{key: 1 for key, _ in self.ordering.keys}}

    def _fingerprint(self) -> str:
        identity = [self.spec.name, self.ordering.name, _canonical(self.filter)]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Slice(Generic[T]):
    """One page of items and the cursor of the next page (None on the last page)."""

    items: list[T]
    next_cursor: str | None = None


async def read_page(
    collection: AsyncCollection[Document],
    listing: Listing,
    *,
    projection: Mapping[str, Any] | None = None,
    session: Session | None = None,
) -> Slice[Document]:
    """The documents of one page; one round trip, reading a single document past the page to know."""
    found = collection.find(
        listing.query(),
        projection,
        sort=listing.ordering.sort,
        limit=listing.limit + 1,
        hint=listing.index,
        session=session,
    )
    documents = await found.to_list()
    if len(documents) <= listing.limit:
        return Slice(documents)
    page = documents[: listing.limit]
    return Slice(page, listing.cursor_after(page[-1]))


def any_of(values: Sequence[StrEnum] | None) -> dict[str, list[str]] | None:
    """A filter value matching any of `values` (a repeated `status=` parameter); None leaves it free."""
    return {"$in": [value.value for value in values]} if values else None


def _within(scope: Mapping[str, Any], filters: Mapping[str, Any]) -> Document:
    """The filters, kept inside the scope: a filter on a scope field must hold as well, never instead."""
    combined: Document = dict(filters)
    both = [{key: combined.pop(key)} for key in scope if key in combined]
    combined.update(scope)
    if both:
        combined["$and"] = both
    return combined


def _after(sort: Sequence[tuple[str, int]], position: Sequence[Any]) -> Document:
    """Documents strictly past `position` in `sort`: greater on the first key that differs.

    MongoDB sorts null before every value and never matches null with `$gt`/`$lt`, so a null position
    is handled apart: ascending, everything not null follows it; descending, null is last.
    """
    branches: list[Document] = []
    for depth, (key, direction) in enumerate(sort):
        equal = {name: value for (name, _), value in zip(sort[:depth], position[:depth], strict=True)}
        value = position[depth]
        if value is None:
            if direction == DESCENDING:
                continue
            beyond: Document = {key: {"$ne": None}}
        elif direction == ASCENDING:
            beyond = {key: {"$gt": value}}
        else:
            beyond = {"$or": [{key: {"$lt": value}}, {key: None}]}
        branches.append({**equal, **beyond} if "$or" not in beyond else {"$and": [equal, beyond]})
    return {"$or": branches} if branches else {"_id": {"$exists": False}}


def _index_name(keys: Iterable[tuple[str, int]]) -> str:
    return "list_" + "_".join(
        f"{name.lstrip('_')}{'' if direction > 0 else '_desc'}" for name, direction in keys
    )


def _value_at(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _tag(value: Any) -> Any:
    # JSON has no dates or ObjectIds: tag them so the position compares as the stored value does.
    if isinstance(value, datetime):
        return {"d": value.isoformat()}
    if isinstance(value, ObjectId):
        return {"o": str(value)}
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"d"}:
        return datetime.fromisoformat(value["d"])
    if isinstance(value, dict) and set(value) == {"o"}:
        return ObjectId(value["o"])
    return value


def _decode(cursor: str, fingerprint: str) -> tuple[list[Any], Any]:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["v"] != CURSOR_VERSION or payload["f"] != fingerprint:
            raise InvalidCursor("the cursor belongs to another list, other filters or another caller")
        return [_untag(value) for value in payload["k"]], _untag(payload["i"])
    except InvalidCursor:
        raise
    except (ValueError, TypeError, KeyError) as error:
        raise InvalidCursor("not a cursor returned by this list") from error


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
