"""Every service's /openapi.json is a contract a client can be generated from and work with.

For each service: start it, fetch its published document, generate a Python client from it with
openapi-python-client (warnings fail the generation: a schema it cannot read is a route it drops),
import that client and make one real authenticated call, reading the typed result it returns.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from services.catalog.app import build_app as build_catalog
from services.catalog.settings import CatalogSettings
from services.escrow.app import build_app as build_escrow
from services.escrow.settings import EscrowSettings
from services.logistics.app import build_app as build_logistics
from services.logistics.settings import LogisticsSettings
from shared.security.keys import DevKeys, ensure_dev_keys
from shared.security.roles import Role
from tests.integration.disputes.journey import start_disputes
from tests.integration.escrow.support import signed_quote
from tests.support.services import EventInjector, RunningService, StartService, Tokens

GENERATOR_TIMEOUT_SECONDS = 120


class GeneratedClient:
    """A client package generated from one running service's published document."""

    def __init__(self, package: str, service: RunningService) -> None:
        self.package = package
        self.base_url = str(service.client.make_url("")).rstrip("/")

    @property
    def models(self) -> ModuleType:
        return self.module("models")

    def module(self, dotted: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{dotted}")

    def operation(self, tag: str, operation_id: str) -> ModuleType:
        """`api/<tag>/<operationId>.py`: the generated module of one operation."""
        return self.module(f"api.{tag.replace('-', '_')}.{operation_id}")

    def authenticated(self, token: str) -> Any:
        client = self.module("client")
        return client.AuthenticatedClient(base_url=self.base_url, token=token, timeout=httpx.Timeout(30.0))


class Generator:
    """Generates into a temporary directory it puts on `sys.path`; forgets the packages afterwards."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.packages: list[str] = []

    async def client_of(self, service: str, running: RunningService) -> GeneratedClient:
        published = await running.call("GET", "/openapi.json")
        assert published.status == 200, await published.text()
        document = self.directory / f"{service}-openapi.json"
        document.write_text(await published.text())
        config = self.directory / "generator.yml"
        config.write_text("post_hooks: []\n")  # no formatter run: the client is imported, not read
        package = f"tradeguard_{service}_client_{uuid.uuid4().hex[:8]}"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "openapi_python_client", "generate", "--meta", "none", "--fail-on-warning"),
            *("--path", str(document), "--config", str(config)),
            *("--output-path", str(self.directory / package)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        async with asyncio.timeout(GENERATOR_TIMEOUT_SECONDS):
            output, _ = await process.communicate()
        assert process.returncode == 0, (
            f"openapi-python-client cannot generate a client from {service}'s /openapi.json "
            f"(exit {process.returncode}):\n{output.decode(errors='replace')}"
        )
        self.packages.append(package)
        importlib.invalidate_caches()
        return GeneratedClient(package, running)


@pytest.fixture
def generator(tmp_path: Path) -> Iterator[Generator]:
    sys.path.insert(0, str(tmp_path))
    generator = Generator(tmp_path)
    yield generator
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name.split(".")[0] in generator.packages]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def quote_keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    """The key pair catalog signs quotes with and escrow trusts (each service needs its half to start)."""
    return ensure_dev_keys(tmp_path_factory.mktemp("generated-client-quote-keys"))


async def test_a_client_generated_from_catalogs_openapi_calls_the_running_service(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys, generator: Generator
) -> None:
    catalog = await start_service(
        build_catalog, CatalogSettings, quote_signing_key_file=quote_keys.private_key_path
    )
    generated = await generator.client_of("catalog", catalog)
    models = generated.models
    supplier_id = f"s-{uuid.uuid4().hex[:8]}"

    # When a supplier registers itself through the generated client
    async with generated.authenticated(tokens.supplier(supplier_id)) as client:
        registered = await generated.operation("suppliers", "register_supplier").asyncio_detailed(
            client=client,
            body=models.NewSupplier(
                legal_name="Ningbo Brackets Co.",
                country="CN",
                year_established=2009,
                staff_count=120,
                factory_size_m2=4_000,
            ),
        )
        shown = await generated.operation("suppliers", "show_supplier").asyncio(supplier_id, client=client)

    # Then the answer is the typed supplier view, and reading it back gives the same profile
    assert registered.status_code == 201, registered.content
    supplier = registered.parsed
    assert isinstance(supplier, models.SupplierView)
    assert supplier.id == supplier_id
    assert supplier.profile.legal_name == "Ningbo Brackets Co."
    assert isinstance(shown, models.SupplierView)
    assert shown.profile.country == "CN"


async def test_a_client_generated_from_escrows_openapi_calls_the_running_service(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys, generator: Generator
) -> None:
    escrow = await start_service(
        build_escrow, EscrowSettings, quote_public_keys_file=quote_keys.public_keys_path
    )
    generated = await generator.client_of("escrow", escrow)
    models = generated.models
    buyer_id = f"b-{uuid.uuid4().hex[:8]}"
    quote = signed_quote(quote_keys, buyer_id=buyer_id, now=datetime.now(UTC).replace(microsecond=0))

    # When the buyer places an order from a signed quote through the generated client
    async with generated.authenticated(tokens.buyer(buyer_id)) as client:
        placed = await generated.operation("orders", "place_order").asyncio_detailed(
            client=client,
            body=models.PlaceOrder(quote=quote, destination_timezone="America/New_York"),
            idempotency_key=f"k-{buyer_id}",
        )

    # Then it reads the typed order: awaiting payment, contract version 1, nothing paid yet
    assert placed.status_code == 201, placed.content
    order = placed.parsed
    assert isinstance(order, models.OrderView)
    assert order.buyer_id == buyer_id
    assert order.status == models.OrderStatus.AWAITING_PAYMENT
    assert order.contract.version == 1
    assert (order.paid.amount, order.paid.currency) == (0, "USD")


async def test_a_client_generated_from_logisticss_openapi_calls_the_running_service(
    start_service: StartService, tokens: Tokens, generator: Generator
) -> None:
    logistics = await start_service(build_logistics, LogisticsSettings)
    generated = await generator.client_of("logistics", logistics)
    models = generated.models
    route_id = f"cn-us-{uuid.uuid4().hex[:8]}"

    # When ops open a Guaranteed route through the generated client
    async with generated.authenticated(tokens.ops("ops-1", Role.VERIFICATION)) as client:
        created = await generated.operation("routes", "create_route").asyncio_detailed(
            client=client,
            body=models.NewRoute(
                route_id=route_id,
                origin_country="CN",
                destination_country="US",
                carrier_service="dhl-express",
                transit_days=6,
                destination_timezone="America/New_York",
                price_per_unit=models.Money(amount=250, currency="USD"),
            ),
        )

    # Then the answer is the typed route, as the table now lists it
    assert created.status_code == 201, created.content
    route = created.parsed
    assert isinstance(route, models.RouteView)
    assert (route.route_id, route.transit_days, route.active) == (route_id, 6, True)
    assert isinstance(route.price_per_unit, models.Money)
    assert route.price_per_unit.amount == 250


async def test_a_client_generated_from_disputess_openapi_calls_the_running_service(
    start_service: StartService, tokens: Tokens, inject: EventInjector, generator: Generator
) -> None:
    disputes = await start_disputes(start_service, tokens, inject)
    generated = await generator.client_of("disputes", disputes.service)
    models = generated.models
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    # Given an order escrow funded and logistics delivered (told to disputes through events)
    await disputes.delivered(order_id)

    # When its buyer opens a claim through the generated client
    async with generated.authenticated(disputes.buyer()) as client:
        opened = await generated.operation("disputes", "open_dispute").asyncio_detailed(
            client=client,
            body=models.OpenClaim(
                order_id=order_id,
                reason=models.ClaimReason.QUALITY_NOT_AS_AGREED,
                requested_outcome=models.RequestedOutcome.FULL_REFUND,
                description="colour is not Pantone 286 C as agreed",
            ),
        )

    # Then it reads the typed claim, waiting for the supplier, for the whole amount paid
    assert opened.status_code == 201, opened.content
    claim = opened.parsed
    assert isinstance(claim, models.ClaimView)
    assert (claim.order_id, claim.status) == (order_id, models.ClaimStatus.AWAITING_SUPPLIER)
    assert (claim.amount.amount, claim.amount.currency) == (100_000, "USD")
