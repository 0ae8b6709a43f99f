"""The four services as fuzz targets: how each is started, and who calls it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from services.catalog.app import build_app as build_catalog
from services.catalog.settings import CatalogSettings
from services.disputes.app import build_app as build_disputes
from services.disputes.settings import DisputesSettings
from services.escrow.app import build_app as build_escrow
from services.escrow.settings import EscrowSettings
from services.logistics.app import build_app as build_logistics
from services.logistics.settings import LogisticsSettings
from shared.security.keys import DevKeys
from shared.settings import ServiceSettings
from tests.fuzz.runner import Callers
from tests.support.services import BuildApp, RunningService, StartService, Tokens


@dataclass(frozen=True)
class Fuzzed:
    build_app: BuildApp
    settings: type[ServiceSettings]


SERVICES = {
    "catalog": Fuzzed(build_catalog, CatalogSettings),
    "escrow": Fuzzed(build_escrow, EscrowSettings),
    "logistics": Fuzzed(build_logistics, LogisticsSettings),
    "disputes": Fuzzed(build_disputes, DisputesSettings),
}


@dataclass(frozen=True)
class Target:
    """A started service, as schemathesis sees it: its published document, base URL and callers."""

    running: RunningService
    spec: dict[str, Any]
    base_url: str
    callers: Callers


async def start_target(
    service: str,
    start_service: StartService,
    tokens: Tokens,
    quote_keys: DevKeys,
    *,
    fresh_keys: bool = False,
) -> Target:
    fuzzed = SERVICES[service]
    # Sandbox mode publishes the /sandbox/... controls, so they are fuzzed too; the quote keys are what
    # catalog and escrow need to start (each ignores the other's setting).
    running = await start_service(
        fuzzed.build_app,
        fuzzed.settings,
        sandbox=True,
        quote_signing_key_file=quote_keys.private_key_path,
        quote_public_keys_file=quote_keys.public_keys_path,
    )
    published = await running.call("GET", "/openapi.json")
    assert published.status == 200
    return Target(
        running=running,
        spec=await published.json(),
        base_url=str(running.client.make_url("")).rstrip("/"),
        callers=Callers(partial(caller_token, tokens), fresh_keys=fresh_keys),
    )


def caller_token(tokens: Tokens, role: str, subject: str) -> str:
    if role == "buyer":
        return tokens.buyer(subject)
    if role == "supplier":
        return tokens.supplier(subject)
    return tokens.ops(subject, role)
