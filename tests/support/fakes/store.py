"""shared.store in memory: aggregates by id, each saved only over the version it was loaded at."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from shared.errors import Conflict
from shared.mongo import Session
from shared.store import Versioned

M = TypeVar("M", bound=BaseModel)


class InMemoryStore(Generic[M]):
    """The guarantees handlers rely on: one insert per id, guarded saves, version 0 = never saved."""

    def __init__(self, id_field: str) -> None:
        self._id_field = id_field
        self._values: dict[str, Versioned[M]] = {}

    async def get(self, value_id: str, *, session: Session | None = None) -> Versioned[M] | None:
        return self._values.get(value_id)

    async def insert(self, value: M, *, session: Session, beside: Mapping[str, Any] | None = None) -> None:
        value_id = self._id(value)
        if value_id in self._values:
            raise Conflict(f"{value_id} exists")
        self._values[value_id] = Versioned(value, 1)

    async def insert_unless_present(
        self, value: M, *, session: Session, beside: Mapping[str, Any] | None = None
    ) -> Versioned[M] | None:
        present = self._values.get(self._id(value))
        if present is None:
            self._values[self._id(value)] = Versioned(value, 1)
        return present

    async def save(
        self,
        value: M,
        *,
        expected_version: int,
        session: Session,
        beside: Mapping[str, Any] | None = None,
    ) -> None:
        value_id = self._id(value)
        stored = self._values.get(value_id)
        if (stored.version if stored else 0) != expected_version:
            raise Conflict(f"{value_id} changed since version {expected_version}")
        self._values[value_id] = Versioned(value, expected_version + 1)

    async def set_fields(
        self, value_id: str, fields: Mapping[str, Any], *, session: Session | None = None
    ) -> bool:
        stored = self._values.get(value_id)
        if stored is None:
            return False
        self._values[value_id] = Versioned(stored.value.model_copy(update=dict(fields)), stored.version + 1)
        return True

    def where(self, matches: Callable[[M], bool]) -> list[Versioned[M]]:
        return [stored for stored in self._values.values() if matches(stored.value)]

    def snapshot(self) -> Any:
        return dict(self._values)

    def restore(self, state: Any) -> None:
        self._values = state

    def _id(self, value: M) -> str:
        return str(getattr(value, self._id_field))
