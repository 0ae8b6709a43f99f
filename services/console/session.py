"""The operator's session: the platform token and a CSRF secret in one encrypted, authenticated cookie.

Fernet (AES-CBC + HMAC-SHA256) keeps the bearer token unreadable and the cookie untamperable; the cookie
is HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from cryptography.fernet import Fernet, InvalidToken
from pydantic import BaseModel, ValidationError

COOKIE_NAME = "tg_console"
CSRF_FIELD = "csrf_token"


class SessionData(BaseModel):
    """What the cookie carries; `token` is empty until the operator signs in."""

    csrf: str
    token: str = ""


@dataclass(frozen=True)
class Session:
    csrf: str
    token: str = ""

    @classmethod
    def fresh(cls) -> Session:
        return cls(csrf=secrets.token_urlsafe(32))

    @property
    def signed_in(self) -> bool:
        return bool(self.token)

    def signed_in_with(self, token: str) -> Session:
        # A new CSRF secret at sign-in: a value seen before signing in is worth nothing afterwards.
        return replace(self, token=token, csrf=secrets.token_urlsafe(32))

    def accepts(self, submitted: str | None) -> bool:
        """Whether a form's CSRF field is this session's (compared in constant time)."""
        return bool(submitted) and hmac.compare_digest(self.csrf.encode(), str(submitted).encode())


class SessionCodec:
    """Seals a session into a cookie value and opens it again, refusing tampered or expired ones."""

    def __init__(self, secret: str, *, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        # Fernet wants 32 url-safe base64 bytes: derive them from the configured secret.
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        self._fernet = Fernet(key)
        self._ttl = ttl_seconds
        self._clock = clock

    def seal(self, session: Session) -> str:
        data = SessionData(csrf=session.csrf, token=session.token).model_dump_json().encode()
        return self._fernet.encrypt_at_time(data, int(self._clock())).decode()

    def open(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            sealed = self._fernet.decrypt_at_time(value.encode(), self._ttl, int(self._clock()))
            data = SessionData.model_validate_json(sealed)
        except (InvalidToken, ValidationError):
            return None
        return Session(csrf=data.csrf, token=data.token)
