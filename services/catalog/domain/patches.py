"""Partial updates (PATCH): the changed fields merged into the current value and validated as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.catalog.domain.errors import InvalidFieldError

M = TypeVar("M", bound=BaseModel)


def patched(current: M, changes: Mapping[str, Any]) -> M:
    """The value with `changes` applied; a combination that breaks a rule names the field."""
    try:
        return type(current).model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or next(iter(changes), "body")
        raise InvalidFieldError(field, first["msg"]) from None
