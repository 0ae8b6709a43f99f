"""One document by `_id` with the documents it names joined to it, in one round trip (`$lookup`), where a
read of each cost a round trip each. The joins use the foreign collection's index on the joined field."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.asynchronous.collection import AsyncCollection

from shared.mongo import Document, Session


def joined(collection: str, local_field: str, into: str, *, foreign_field: str = "_id") -> Document:
    """A `$lookup` stage: the documents of `collection` whose `foreign_field` equals this document's
    `local_field`, as the array `into`."""
    return {
        "$lookup": {"from": collection, "localField": local_field, "foreignField": foreign_field, "as": into}
    }


async def find_joined(
    collection: AsyncCollection[Document],
    value_id: str,
    stages: Sequence[Document],
    *,
    session: Session | None = None,
) -> Document | None:
    """The document of `value_id` after `stages` (`joined` ones, and any `$set` they key on); None: none."""
    pipeline: list[Document] = [{"$match": {"_id": value_id}}, {"$limit": 1}, *stages]
    found = await (await collection.aggregate(pipeline, session=session)).to_list()
    return found[0] if found else None


def first_joined(document: Document, into: str) -> Document | None:
    """The one document joined `into` a field keyed by its `_id`; None when there was none."""
    found = document[into]
    return found[0] if found else None
