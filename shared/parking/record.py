"""A parked message as the parking-lot keeper records it: where it came from, why it failed, and its bytes."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aio_pika.abc import AbstractIncomingMessage

from shared.messaging.consumer import (
    ATTEMPT_HEADER,
    ERROR_HEADER,
    ORIGIN_HEADER,
    REJECTED_HEADER,
    ROUTING_KEY_HEADER,
)
from shared.mongo import Document

# Fixed, so that every replica derives the same id for the same parked message.
_ID_NAMESPACE = uuid.UUID("5b0c7a4e-2f55-4d6b-9a53-7d0c1f1e9a11")


@dataclass(frozen=True)
class ParkedMessage:
    """`id` names the message in its queue: parked again (or delivered twice to the lot), it is one record."""

    id: str
    queue: str
    routing_key: str
    message_id: str
    message_type: str
    correlation_id: str | None
    headers: dict[str, str]
    body: bytes
    error: str
    rejected: bool
    attempts: int
    parked_at: datetime
    # A fresh value per parking: a replay removes the record only if it was not parked again meanwhile.
    parking: str

    @classmethod
    def of_parked_copy(cls, message: AbstractIncomingMessage, now: datetime) -> ParkedMessage:
        """Read a parking-lot delivery: parked by a consumer (our headers) or dead-lettered by the broker."""
        headers = dict(message.headers or {})
        death = _first_death(headers)
        queue = str(headers.get(ORIGIN_HEADER) or death.get("queue") or "unknown")
        message_id = message.message_id or ""
        error = headers.get(ERROR_HEADER)
        if not isinstance(error, str):
            error = f"dead-lettered by the broker: {death.get('reason', 'unknown reason')}"
        attempts = headers.get(ATTEMPT_HEADER, headers.get("x-delivery-count", 0))
        return cls(
            id=parked_id(queue, message_id, message.body),
            queue=queue,
            routing_key=_routing_key(message, death),
            message_id=message_id,
            message_type=message.type or "",
            correlation_id=message.correlation_id,
            headers={str(key): str(value) for key, value in headers.items()},
            body=message.body,
            error=error,
            rejected=bool(headers.get(REJECTED_HEADER)),
            attempts=attempts if isinstance(attempts, int) else 0,
            parked_at=now,
            parking=uuid.uuid4().hex,
        )

    def document(self) -> Document:
        return {
            "_id": self.id,
            "queue": self.queue,
            "routing_key": self.routing_key,
            "message_id": self.message_id,
            "message_type": self.message_type,
            "correlation_id": self.correlation_id,
            "headers": self.headers,
            "body": self.body,
            "error": self.error,
            "rejected": self.rejected,
            "attempts": self.attempts,
            "parked_at": self.parked_at,
            "parking": self.parking,
        }

    @classmethod
    def of_document(cls, document: Document) -> ParkedMessage:
        fields = {key: value for key, value in document.items() if key != "_id"}
        return cls(id=document["_id"], **{**fields, "body": bytes(fields["body"])})


def parked_id(queue: str, message_id: str, body: bytes) -> str:
    """Same queue, message id and bytes: the same record. The body counts because a garbled message
    may carry no message id, or one that another garbled message shares."""
    digest = hashlib.sha256(body).hexdigest()
    return str(uuid.uuid5(_ID_NAMESPACE, f"{queue}\n{message_id}\n{digest}"))


def _first_death(headers: dict[str, Any]) -> dict[str, Any]:
    """The broker's account of the first dead-lettering (`x-death`), when the broker parked it."""
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[-1], dict):
        return {str(key): value for key, value in deaths[-1].items()}
    return {}


def _routing_key(message: AbstractIncomingMessage, death: dict[str, Any]) -> str:
    """The producer's routing key: our header once it failed here, else what the broker saw."""
    ours = (message.headers or {}).get(ROUTING_KEY_HEADER)
    if isinstance(ours, str):
        return ours
    keys = death.get("routing-keys")
    if isinstance(keys, list) and keys:
        return str(keys[0])
    return message.routing_key or ""
