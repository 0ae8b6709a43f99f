"""Aggregates in MongoDB: one document each, saved only over the version it was read at.

A document is `{_id, version, <fields beside>, <the aggregate>}`, the aggregate's fields at the top level or
under one key (`under="order"`), beside query fields and timers' due dates the repository adds. `save` is
the guarded update of ARCHITECTURE.md: it matches `(_id, version)` and `$inc`s the version; when someone
saved a newer version since it was read, it raises `Conflict`.

One encoding for every model stored: its JSON form (enums, sets, durations, money as JSON), except that
datetimes stay BSON dates, so that indexes, sorts, range queries and timers (`due_field $lte now`) compare
them as time. MongoDB keeps milliseconds; read through `shared.mongo.connect`, dates come back aware UTC.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.errors import Conflict
from shared.mongo import Document, Session
from shared.paging import Listing, Slice, read_page

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Sort = Sequence[tuple[str, int]]


def to_document(model: BaseModel) -> Document:
    """The model's JSON form, its datetimes kept as datetimes (BSON dates)."""
    document: Document = _with_dates(model.model_dump(mode="python"), model.model_dump(mode="json"))
    return document


def from_document(model: type[M], fields: Mapping[str, Any]) -> M:
    """The model from its own fields: storage keeps `_id`, `version` and query fields beside them."""
    own = model.model_fields  # a property: read once, not once per stored field
    return model.model_validate({key: value for key, value in fields.items() if key in own})


def _with_dates(native: Any, text: Any) -> Any:
    """Walk the two dumps of one model together, taking the JSON value everywhere but at datetimes."""
    if isinstance(native, datetime):
        return native
    # Leaves are most of a document: they are taken in place, without a call each.
    if isinstance(native, dict) and isinstance(text, dict):
        # Same keys in the same order; the JSON dump's are strings, as BSON needs.
        return {
            key: _with_dates(value, t) if isinstance(t, _BRANCHES) or isinstance(value, datetime) else t
            for (key, t), value in zip(text.items(), native.values(), strict=True)
        }
    if isinstance(native, list | tuple) and isinstance(text, list):
        return [
            _with_dates(value, t) if isinstance(t, _BRANCHES) or isinstance(value, datetime) else t
            for value, t in zip(native, text, strict=True)
        ]
    return text


_BRANCHES = (dict, list)


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """An aggregate as loaded, with the version a guarded save must still find."""

    value: T
    version: int


def value_of(stored: Versioned[T] | None) -> T | None:
    """The aggregate of a lookup that may find nothing, for reads that never save it back."""
    return None if stored is None else stored.value


class VersionedStore(Generic[M]):
    """The aggregates of one model in one collection, each under the value of its `id_field` as `_id`."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        collection: str,
        model: type[M],
        *,
        id_field: str,
        under: str | None = None,
    ) -> None:
        self.collection = db[collection]
        self._model = model
        self._id_field = id_field
        self._under = under

    def beside(self, value: M) -> Document:
        """Fields written beside the aggregate on every write (query fields, due dates); for overriding."""
        return {}

    def load(self, document: Mapping[str, Any]) -> Versioned[M]:
        """A stored document as an aggregate; a document no save has versioned yet is version 0."""
        fields = document[self._under] if self._under is not None else document
        return Versioned(from_document(self._model, fields), int(document.get("version") or 0))

    async def get(self, value_id: str, *, session: Session | None = None) -> Versioned[M] | None:
        return await self.find_one({"_id": value_id}, session=session)

    async def find_one(
        self, query: Mapping[str, Any], *, session: Session | None = None, sort: Sort | None = None
    ) -> Versioned[M] | None:
        document = await self.collection.find_one(query, session=session, sort=sort)
        return None if document is None else self.load(document)

    async def find(
        self,
        query: Mapping[str, Any],
        *,
        session: Session | None = None,
        sort: Sort | None = None,
        limit: int = 0,
    ) -> AsyncIterator[Versioned[M]]:
        # Nested, only the aggregate and its version travel: the fields beside it serve queries.
        projection = None if self._under is None else {self._under: 1, "version": 1}
        found = self.collection.find(query, projection, session=session, sort=sort, limit=limit)
        async for document in found:
            yield self.load(document)

    async def page(self, listing: Listing, *, session: Session | None = None) -> Slice[M]:
        """One page of a list of these aggregates (shared.paging), read from this store's collection."""
        projection = None if self._under is None else listing.projected([self._under])
        found = await read_page(self.collection, listing, projection=projection, session=session)
        return Slice([self.load(document).value for document in found.items], found.next_cursor)

    async def insert(self, value: M, *, session: Session, beside: Mapping[str, Any] | None = None) -> None:
        """A new aggregate at version 1; a second one with its id is a duplicate-key error."""
        document = {"_id": self._id(value), "version": 1, **self._fields(value, beside)}
        await self.collection.insert_one(document, session=session)

    async def insert_unless_present(
        self, value: M, *, session: Session, beside: Mapping[str, Any] | None = None
    ) -> Versioned[M] | None:
        """A new aggregate at version 1, unless one with its id exists: then that one is returned, unchanged.

        One round trip (an upsert that only inserts), where reading first costs two, and a plain insert's
        duplicate-key error would abort the caller's transaction."""
        fields = {"version": 1, **self._fields(value, beside)}
        before = await self.collection.find_one_and_update(
            {"_id": self._id(value)},
            {"$setOnInsert": fields},
            upsert=True,
            return_document=ReturnDocument.BEFORE,
            session=session,
        )
        return None if before is None else self.load(before)

    async def save(
        self,
        value: M,
        *,
        expected_version: int,
        session: Session,
        beside: Mapping[str, Any] | None = None,
        also: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Guarded update: `Conflict` when the stored version is no longer `expected_version`.

        Version 0 is an aggregate never saved: its first save creates the document, or completes one that
        other writes started (a read model's facts that arrived first). `also`: update operators for other
        fields of the document (`{"$push": {"history": entry}}`), so that they cost no write of their own.
        """
        value_id = self._id(value)
        guard: Any = {"$in": [0, None]} if expected_version == 0 else expected_version
        update: dict[str, dict[str, Any]] = {"$set": self._fields(value, beside), "$inc": {"version": 1}}
        for operator, changes in (also or {}).items():
            update[operator] = {**update.get(operator, {}), **changes}
        try:
            result = await self.collection.update_one(
                {"_id": value_id, "version": guard},
                update,
                upsert=expected_version == 0,
                session=session,
            )
        except DuplicateKeyError:  # the first save raced another one
            raise self._conflict(value_id, expected_version) from None
        if result.matched_count == 0 and result.upserted_id is None:
            raise self._conflict(value_id, expected_version)

    async def set_fields(self, value_id: str, fields: Mapping[str, Any], *, session: Session) -> bool:
        """Set fields of a stored aggregate without reading it: one round trip, where load + guarded save
        cost two, for a change that does not depend on what the aggregate held (a date learnt from an
        event). The version still moves on, so a save over a version read before this one is refused as it
        would be after a guarded save. False: no aggregate has that id."""
        prefix = "" if self._under is None else f"{self._under}."
        result = await self.collection.update_one(
            {"_id": value_id},
            {"$set": {f"{prefix}{name}": value for name, value in fields.items()}, "$inc": {"version": 1}},
            session=session,
        )
        return result.matched_count == 1

    def _id(self, value: M) -> str:
        return str(getattr(value, self._id_field))

    def _fields(self, value: M, beside: Mapping[str, Any] | None) -> Document:
        aggregate = to_document(value)
        own = aggregate if self._under is None else {self._under: aggregate}
        return {**own, **self.beside(value), **(beside or {})}

    def _conflict(self, value_id: str, expected_version: int) -> Conflict:
        return Conflict(f"{self.collection.name} {value_id} changed since version {expected_version}")


class Repository(Protocol[T]):
    """What a handler may rely on from a store of aggregates: `VersionedStore` is one, the fakes too."""

    async def get(self, value_id: str, *, session: Session | None = None) -> Versioned[T] | None: ...

    async def insert(
        self, value: T, *, session: Session, beside: Mapping[str, Any] | None = None
    ) -> None: ...

    async def insert_unless_present(
        self, value: T, *, session: Session, beside: Mapping[str, Any] | None = None
    ) -> Versioned[T] | None: ...

    async def save(
        self,
        value: T,
        *,
        expected_version: int,
        session: Session,
        beside: Mapping[str, Any] | None = None,
    ) -> None: ...

    async def set_fields(self, value_id: str, fields: Mapping[str, Any], *, session: Session) -> bool: ...
