"""One guarded document store for every logistics aggregate: JSON-mode documents plus a version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from shared.errors import Conflict
from shared.mongo import Document, Session

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Stored(Generic[M]):
    """An aggregate as loaded, with the version a guarded save must find unchanged."""

    item: M
    version: int


class VersionedStore(Generic[M]):
    """Aggregates stored as JSON-mode documents (dates as ISO text) with `_id` and `version`.

    `native` fields are written as BSON values on top (dates a timer or a range query compares).
    """

    def __init__(self, db: AsyncDatabase[Document], collection: str, model: type[M], id_field: str) -> None:
        self.collection = db[collection]
        self._model = model
        self._id_field = id_field

    def load(self, document: Document) -> Stored[M]:
        fields = {key: value for key, value in document.items() if key not in ("_id", "version")}
        return Stored(self._model.model_validate(fields), int(document["version"]))

    async def get(self, item_id: str, *, session: Session | None = None) -> Stored[M] | None:
        return await self.find_one({"_id": item_id}, session=session)

    async def find_one(
        self, query: Mapping[str, Any], *, session: Session | None = None, newest_by: str | None = None
    ) -> Stored[M] | None:
        sort = [(newest_by, DESCENDING)] if newest_by else None
        document = await self.collection.find_one(query, session=session, sort=sort)
        return None if document is None else self.load(document)

    async def insert(self, item: M, *, session: Session, native: Mapping[str, Any] | None = None) -> None:
        document = self._document(item, native) | {"version": 1}
        await self.collection.insert_one(document, session=session)

    async def save(
        self,
        item: M,
        *,
        expected_version: int,
        session: Session,
        native: Mapping[str, Any] | None = None,
    ) -> None:
        """Guarded update: Conflict when the stored version moved on since loading."""
        document = self._document(item, native)
        item_id = document.pop("_id")
        result = await self.collection.update_one(
            {"_id": item_id, "version": expected_version},
            {"$set": document, "$inc": {"version": 1}},
            session=session,
        )
        if result.matched_count == 0:
            raise Conflict(f"{self.collection.name} {item_id} changed concurrently")

    def native_fields(self, item: M) -> dict[str, Any]:
        """Fields stored as BSON values rather than JSON text; a repository overrides this."""
        return {}

    def _document(self, item: M, native: Mapping[str, Any] | None) -> Document:
        document = item.model_dump(mode="json") | self.native_fields(item) | dict(native or {})
        return document | {"_id": document[self._id_field]}
