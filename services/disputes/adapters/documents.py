"""How domain models become MongoDB documents and back."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from shared.mongo import Document

M = TypeVar("M", bound=BaseModel)


def to_document(model: BaseModel) -> Document:
    # Python mode keeps datetimes as BSON dates, so due-date indexes and range queries work.
    return model.model_dump(mode="python")


def from_document(model: type[M], document: dict[str, Any]) -> M:
    """The model's own fields only: storage adds `_id`, `version` and derived fields beside them."""
    return model.model_validate({key: value for key, value in document.items() if key in model.model_fields})
