"""Provider webhook signatures (Stripe-style `t=<unix>,v1=<hex>`), HMAC-SHA256 over `"{t}.{body}"`."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

SCHEME = "v1"


class WebhookRejected(Exception):
    """A webhook must be refused; subclasses say why."""

    code: ClassVar[str] = "webhook_signature_invalid"


class MissingSignature(WebhookRejected):
    pass


class MalformedSignature(WebhookRejected):
    pass


class SignatureMismatch(WebhookRejected):
    pass


class StaleSignature(WebhookRejected):
    """Outside the tolerance window: a replay of an old (or a forged future) delivery."""

    code = "webhook_stale"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    return f"t={timestamp},{SCHEME}={_digest(secret, timestamp, body)}"


def verify(
    secrets: str | Sequence[str],
    header: str | None,
    body: bytes,
    now: datetime,
    tolerance_seconds: int = 300,
) -> int:
    """Accept `body` if any active secret produced any `v1` signature in `header`; returns the timestamp.

    Several secrets are accepted during a rotation; a sender may also send several `v1` entries.
    """
    if not header:
        raise MissingSignature("no signature header")
    timestamp, signatures = _parse(header)
    active = [secrets] if isinstance(secrets, str) else list(secrets)
    expected = [_digest(secret, timestamp, body) for secret in active]
    # Compare every pair in constant time, so timing reveals neither which secret nor how much matched.
    matched = False
    for candidate in expected:
        for signature in signatures:
            matched |= hmac.compare_digest(candidate, signature)
    if not matched:
        raise SignatureMismatch("signature does not match")
    if abs(now.timestamp() - timestamp) > tolerance_seconds:
        raise StaleSignature(f"timestamp {timestamp} is outside the {tolerance_seconds}s tolerance")
    return timestamp


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, separator, value = part.strip().partition("=")
        if not separator:
            raise MalformedSignature("signature header is not a list of key=value pairs")
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError as error:
                raise MalformedSignature("signature timestamp is not an integer") from error
        elif name == SCHEME:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise MalformedSignature(f"signature header needs t= and {SCHEME}=")
    return timestamp, signatures


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
