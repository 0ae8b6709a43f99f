"""How aggregates are stored: their JSON form under one key, beside a version and query fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.results import UpdateResult

from shared.errors import Conflict
from shared.mongo import Document, Session

T = TypeVar("T")


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """A loaded aggregate and the version a guarded save must find."""

    value: T
    version: int


def dump(model: BaseModel) -> Document:
    """JSON mode: one spelling for timedeltas, sets and money, read back by the same model."""
    return model.model_dump(mode="json")


async def guarded_update(
    collection: AsyncCollection[Document],
    document_id: str,
    expected_version: int,
    fields: Document,
    *,
    session: Session,
) -> UpdateResult:
    """Write only if nobody else did since we read `expected_version`; else the caller retries or 409s."""
    result = await collection.update_one(
        {"_id": document_id, "version": expected_version},
        {"$set": fields, "$inc": {"version": 1}},
        session=session,
    )
    if result.matched_count == 0:
        raise Conflict(f"{collection.name} {document_id} changed meanwhile; try again")
    return result
