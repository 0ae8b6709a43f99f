"""Who may call what, and how provider webhooks prove who sent them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiohttp import web

from shared.security.roles import OPS, PARTIES, PEOPLE, services_except
from shared.security.webhooks import WebhookRejected, verify

from ..adapters.provider_messages import WEBHOOK_SIGNATURE_HEADER

PARTIES_AND_OPS = PARTIES | OPS
# Reading the route table is open to every authenticated caller, the other services included.
ANY_ROLE = PEOPLE | services_except("logistics")


async def signed_body(request: web.Request, secrets: Sequence[str], now: datetime, tolerance: int) -> bytes:
    """The raw body of a provider webhook whose signature checks out; otherwise a problem, nothing changes."""
    body = await request.read()
    try:
        verify(secrets, request.headers.get(WEBHOOK_SIGNATURE_HEADER), body, now, tolerance_seconds=tolerance)
    except WebhookRejected as error:
        raise error.problem() from None
    return body
