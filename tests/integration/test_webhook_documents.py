"""Each provider webhook's OpenAPI operation states its body, its signature header and its tolerance, and the
endpoint behaves as stated: a stale delivery gets exactly the status the document gives `webhook-stale`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.escrow.app import build_app as build_escrow
from services.escrow.settings import EscrowSettings
from services.logistics.app import build_app as build_logistics
from services.logistics.settings import LogisticsSettings
from shared.security import webhooks
from tests.support.services import StartService, Tokens

TOLERANCE = 120  # not the default, so the document is seen to follow the configuration
STALE_BY = TOLERANCE + 60
# (service, path, secret) of every provider webhook
WEBHOOKS = {
    "payment-provider": (
        "escrow",
        "/v1/payment-provider/webhooks",
        EscrowSettings().payment_webhook_secrets[0],
    ),
    "carrier": (
        "logistics",
        "/v1/carriers/{carrier}/webhooks",
        "whsec_test_ups",
    ),
    "inspection-agency": (
        "logistics",
        "/v1/inspection-agencies/{agency}/webhooks",
        "whsec_test_sgs",
    ),
}
CONCRETE = {"{carrier}": "ups", "{agency}": "sgs"}
# One secret per carrier and per agency (shared by none): the ones this test signs with.
PROVIDER_SECRETS = {
    "carrier_webhook_secrets": {"ups": ["whsec_test_ups"]},
    "agency_webhook_secrets": {"sgs": ["whsec_test_sgs"]},
}
APPS = {"escrow": (build_escrow, EscrowSettings), "logistics": (build_logistics, LogisticsSettings)}


@pytest.mark.parametrize("provider", WEBHOOKS)
async def test_a_stale_webhook_is_refused_with_the_status_its_document_states(
    start_service: StartService, tokens: Tokens, provider: str
) -> None:
    # Given a service receiving a provider's webhooks, configured with a tolerance of TOLERANCE seconds
    service_name, path, secret = WEBHOOKS[provider]
    build, settings = APPS[service_name]
    # (escrow also reads the key set catalog's quotes are verified with: any will do here)
    keys: dict[str, Any] = (
        {"quote_public_keys_file": tokens.keys.public_keys_path}
        if service_name == "escrow"
        else PROVIDER_SECRETS
    )
    service = await start_service(build, settings, webhook_tolerance_seconds=TOLERANCE, **keys)
    document = await (await service.call("GET", "/openapi.json")).json()
    operation = document["paths"][path]["post"]

    # Then its document states the body, the signature header and the tolerance
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_schema.rsplit("/", 1)[-1] in document["components"]["schemas"]
    (header,) = [p for p in operation["parameters"] if p.get("in") == "header" and "Signature" in p["name"]]
    assert header["required"] is True
    assert "`t=<unix seconds>,v1=<hex>`" in header["description"]
    assert f"more than {TOLERANCE} s from our clock" in operation["description"]
    stale_status = documented_status(operation, "webhook-stale")

    # When a genuinely signed delivery arrives signed longer ago than the tolerance
    body = b"{}"
    signed_at = int(datetime.now(UTC).timestamp()) - STALE_BY
    url = path.format_map({key.strip("{}"): value for key, value in CONCRETE.items()})
    signature = webhooks.sign(secret, body, signed_at)
    response = await service.client.post(url, data=body, headers={"Tradeguard-Signature": signature})

    # Then it is refused with the status the document states
    problem = await response.json()
    assert (response.status, problem["type"].rsplit("/", 1)[-1]) == (stale_status, "webhook-stale")


def documented_status(operation: dict[str, Any], slug: str) -> int:
    (status,) = [
        int(code) for code, answer in operation["responses"].items() if f"`{slug}`" in answer["description"]
    ]
    return status
