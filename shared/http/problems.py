"""RFC 9457 `application/problem+json` errors: one exception type, a stable `type` URI per error."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypedDict

from aiohttp import web
from pydantic import ValidationError

from shared.errors import Conflict, Rejected, Transient
from shared.money import AmountOutOfRange, CurrencyMismatch
from shared.mongo import DatabaseUnavailable, is_unavailable
from shared.paging import InvalidCursor
from shared.security.jwt import TokenRejected
from shared.security.webhooks import StaleSignature, WebhookRejected

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://tradeguard.dev/problems/"

# A service maps its domain error base classes to statuses; instances carry `.code` and a message.
ErrorStatuses = Mapping[type[Exception], int]
ERROR_STATUSES: web.AppKey[ErrorStatuses] = web.AppKey("error_statuses")
# Each kind of failure (shared/errors.py) where the service's own map says nothing more specific, and the
# platform's own errors every service may raise (tests/unit/test_error_kinds.py: none is left unmapped).
KIND_STATUSES: ErrorStatuses = {
    Rejected: 400,
    Conflict: 409,
    Transient: 503,
    AmountOutOfRange: 422,
    CurrencyMismatch: 422,
    TokenRejected: 401,
    WebhookRejected: 401,
    StaleSignature: 400,
    InvalidCursor: 422,  # a cursor is a query parameter like any other
}
# A 422 for a 200,000-element array must not list 200,000 errors: the first few, and how many there were.
MAX_LISTED_ERRORS = 20


# The `field` of a domain rejection that names no single input field.
WHOLE_REQUEST = ""


class FieldError(TypedDict):
    field: str
    message: str


class Problem(Exception):
    """An error a client is meant to see; the middleware renders it as problem+json."""

    def __init__(
        self,
        status: int,
        type_slug: str,
        title: str,
        detail: str | None = None,
        errors: list[FieldError] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.type_slug = type_slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})

    @property
    def type_uri(self) -> str:
        return PROBLEM_TYPE_BASE + self.type_slug

    def to_dict(self, *, instance: str | None = None) -> dict[str, Any]:
        document: dict[str, Any] = {**self.extensions, "type": self.type_uri, "title": self.title}
        document["status"] = self.status
        if self.detail is not None:
            document["detail"] = self.detail
        if instance is not None:
            document["instance"] = instance
        if self.errors is not None:
            document["errors"] = self.errors
        return document

    def to_response(self, *, instance: str | None = None) -> web.Response:
        return web.Response(
            status=self.status,
            body=json.dumps(self.to_dict(instance=instance)).encode(),
            content_type=PROBLEM_CONTENT_TYPE,
            headers=self.headers,
        )


def validation_problem(error: ValidationError) -> Problem:
    """422 naming the offending fields by their dotted paths (`items.0.quantity`): the first few."""
    listed = error.errors(include_url=False, include_input=False, include_context=False)[:MAX_LISTED_ERRORS]
    errors: list[FieldError] = [
        {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"]} for item in listed
    ]
    return invalid_fields(errors, total=error.error_count())


def invalid_fields(errors: list[FieldError], *, total: int | None = None) -> Problem:
    """422 naming each offending field (at most MAX_LISTED_ERRORS), and `error_count`: how many there were."""
    return Problem(
        422,
        "validation-failed",
        "The request is not valid.",
        errors=errors[:MAX_LISTED_ERRORS],
        extensions={"error_count": len(errors) if total is None else total},
    )


def problem_for(error: BaseException, statuses: ErrorStatuses) -> Problem | None:
    """The problem a client should see for `error`, or None when it is a bug (rendered as an opaque 500)."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, web.HTTPException):
        return _from_http_exception(error)
    if is_unavailable(error) and not isinstance(error, DatabaseUnavailable):
        # PyMongo's own error (no transaction wrapped it): the same 503 and Retry-After.
        error = DatabaseUnavailable(f"the database did not answer: {type(error).__name__}")
    status = status_of(type(error), statuses)
    if status is None:
        return None
    field = getattr(error, "field", None)
    errors: list[FieldError] | None = None
    if isinstance(field, str) or status == 422:
        # A refused input reads like a validation error whoever refused it: `errors` names the field, or
        # WHOLE_REQUEST when the rule weighs the request as a whole (a refund against what is refundable).
        errors = [{"field": field if isinstance(field, str) else WHOLE_REQUEST, "message": str(error)}]
    retry_after = getattr(error, "retry_after_seconds", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return Problem(
        status, problem_slug(type(error)), _reason(status), detail=str(error), errors=errors, headers=headers
    )


def problem_slug(error_type: type[BaseException]) -> str:
    """The problem type of a domain error: its snake_case code with hyphens, like every other slug."""
    return str(getattr(error_type, "code", "domain-error")).replace("_", "-")


def status_of(error_type: type[BaseException], statuses: ErrorStatuses) -> int | None:
    """The status `error_type` is answered with: the one OpenAPI documents and the middleware sends."""
    # The most specific registered class wins, so a service may map a subclass apart from its base.
    for mapping in (statuses, KIND_STATUSES):
        for cls in error_type.__mro__:
            if cls in mapping:
                return mapping[cls]
    return None


def _from_http_exception(error: web.HTTPException) -> Problem:
    slug = _reason(error.status).lower().replace(" ", "-")
    # aiohttp's default text ("404: Not Found") repeats the title; keep only messages that add something.
    detail = error.text if error.text and not error.text.startswith(f"{error.status}:") else None
    headers = {key: value for key, value in error.headers.items() if key.lower() in ("allow", "retry-after")}
    return Problem(error.status, slug, _reason(error.status), detail=detail, headers=headers)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(frozen=True)
class WebhookRefusal:
    """One answer to a failed webhook, whichever provider sent it; OpenAPI documents these very values."""

    status: int
    type_slug: str
    title: str

    def problem(self, detail: str) -> Problem:
        return Problem(self.status, self.type_slug, self.title, detail)


# Missing, garbled or not matching: the sender did not prove it holds the secret.
SIGNATURE_INVALID = WebhookRefusal(401, "webhook-signature-invalid", "Unauthorized.")
# Signed, but outside the tolerance window: a replay, or a sender whose clock is off. The signature is
# genuine, so it is no authentication failure: a 400, which the sender must not retry as it is.
STALE = WebhookRefusal(400, "webhook-stale", "Stale webhook.")


def webhook_problem(error: WebhookRejected) -> Problem:
    """One answer per webhook failure, whichever provider (payments, carriers, agencies) sent it."""
    return (STALE if isinstance(error, StaleSignature) else SIGNATURE_INVALID).problem(str(error))
