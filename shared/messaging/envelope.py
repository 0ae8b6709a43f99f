"""The envelope every message travels in, and the base class of event payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime


class Event(BaseModel):
    """Base of every integration event or command payload.

    Subclasses live beside their producer (`services/<name>/events.py`) and set `TYPE`
    (`<producer>.<what_happened>`, e.g. `escrow.order_funded`) and `VERSION`. Consumers parse with the
    same model; unknown fields are ignored so that producers can add fields without breaking them.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    @classmethod
    def routing_key(cls) -> str:
        return routing_key(cls.TYPE, cls.VERSION)

    @classmethod
    def producer(cls) -> str:
        return cls.TYPE.split(".", 1)[0]


def routing_key(message_type: str, version: int) -> str:
    """`escrow.order_funded` v1 → `escrow.order_funded.v1`."""
    return f"{message_type}.v{version}"


class Envelope(BaseModel):
    """Metadata around a payload. `message_id` is unique per message and never reused as correlation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str = Field(pattern=r"^[a-z_]+\.[a-z_.]+$")
    version: int = Field(ge=1)
    occurred_at: UtcDateTime
    producer: str
    correlation_id: str
    causation_id: str | None = None
    payload: dict[str, Any]

    @property
    def routing_key(self) -> str:
        return routing_key(self.type, self.version)

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        occurred_at: datetime,
        correlation_id: str,
        causation_id: str | None = None,
    ) -> Envelope:
        return cls(
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=occurred_at,
            producer=event.producer(),
            correlation_id=correlation_id,
            causation_id=causation_id,
            payload=event.model_dump(mode="json"),
        )
