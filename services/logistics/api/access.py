"""Who may call what, and how provider webhooks prove who sent them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiohttp import web

from shared.http.pages import party_scope
from shared.http.problems import webhook_problem
from shared.security.jwt import Principal
from shared.security.roles import OPS_ROLES, PARTIES, PERSON_ROLES, Role, other_services
from shared.security.webhooks import WebhookRejected, verify

from ..adapters.provider_messages import WEBHOOK_SIGNATURE_HEADER

PARTIES_AND_OPS = PARTIES | OPS_ROLES
# Reading the route table is open to every authenticated caller, the other services included.
ANY_ROLE = PERSON_ROLES | other_services("logistics")
# In a list a party finds its own items by the field naming it; ops read every one, as they read each.
OWN_ITEMS: dict[str, str] = {Role.BUYER: "buyer_id", Role.SUPPLIER: "supplier_id"}


def own_items(caller: Principal) -> dict[str, str]:
    """The scope of the caller's lists: its own items, or every item for an ops desk."""
    return party_scope(caller, OWN_ITEMS, desk=OPS_ROLES)


async def signed_body(request: web.Request, secrets: Sequence[str], now: datetime, tolerance: int) -> bytes:
    """The raw body of a provider webhook whose signature checks out; otherwise a problem, nothing changes."""
    body = await request.read()
    try:
        verify(secrets, request.headers.get(WEBHOOK_SIGNATURE_HEADER), body, now, tolerance_seconds=tolerance)
    except WebhookRejected as error:
        raise webhook_problem(error) from None
    return body
