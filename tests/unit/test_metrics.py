"""Every metric is a `tradeguard_` one, and every series an alert reads exists at 0 before its first event."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from deploy.asyncapi import built_apps
from services.console.app import build_app as build_console
from services.console.deps import METRICS as CONSOLE_METRICS
from services.console.settings import ConsoleSettings
from shared.http.app import METRICS, OPENAPI
from shared.metrics import MESSAGE_OUTCOMES, PlatformMetrics
from shared.security.keys import ensure_dev_keys

SERVICE_APPS = built_apps(sandbox=True)


def samples(registry: CollectorRegistry, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.name == name
    }


@pytest.fixture
def console(tmp_path: Path) -> web.Application:
    keys = ensure_dev_keys(tmp_path / "keys")
    return build_console(
        ConsoleSettings(
            sandbox=True,
            jwt_public_keys_file=keys.public_keys_path,
            service_endpoints={name: "http://127.0.0.1:9" for name, _ in SERVICE_APPS},
        )
    )


def test_every_metric_is_named_tradeguard(console: web.Application) -> None:
    # given every service's registry and the console's
    registries = [app[METRICS].registry for _, app in SERVICE_APPS] + [console[CONSOLE_METRICS].registry]

    # when their families are listed
    names = {family.name for registry in registries for family in registry.collect()}

    # then each one is ours by name
    assert names
    assert {name for name in names if not name.startswith("tradeguard_")} == set()


@pytest.mark.parametrize("service", [name for name, _ in SERVICE_APPS])
def test_every_route_counts_its_documented_answers_and_server_errors_from_zero(service: str) -> None:
    # given a service app that has served nothing yet
    app = dict(SERVICE_APPS)[service]
    served = samples(app[METRICS].registry, "tradeguard_http_requests_total")

    # then each route's documented statuses, 500 and 503 are series at 0 already
    for path, operations in app[OPENAPI]["paths"].items():
        for method, operation in operations.items():
            documented = {status for status in operation["responses"] if status.isdigit()}
            for status in documented | {"500", "503"}:
                labels = (("method", method.upper()), ("route", path), ("status", status))
                assert served.get(labels) == 0.0, labels


def test_the_console_counts_each_route_and_each_unreachable_service_from_zero(
    console: web.Application,
) -> None:
    # given the console before any request or call
    registry = console[CONSOLE_METRICS].registry
    requests = samples(registry, "tradeguard_http_requests_total")
    upstream = samples(registry, "tradeguard_console_upstream_calls_total")

    # then its routes' server errors and each service's failed calls are series at 0
    assert requests[(("method", "GET"), ("route", "/healthz"), ("status", "500"))] == 0.0
    for service, _ in SERVICE_APPS:
        assert upstream[(("service", service), ("status", "unreachable"))] == 0.0
        assert upstream[(("service", service), ("status", "503"))] == 0.0


def test_a_subscription_counts_each_outcome_and_its_parked_messages_from_zero() -> None:
    # given fresh instruments
    metrics = PlatformMetrics()

    # when a consumer of order-events is set up
    metrics.expect_subscription("order-events")

    # then its outcomes and its parked messages are counted from 0
    handled = samples(metrics.registry, "tradeguard_messages_handled_total")
    parked = samples(metrics.registry, "tradeguard_messages_parked_total")
    assert {dict(labels)["outcome"] for labels in handled} == set(MESSAGE_OUTCOMES)
    assert set(handled.values()) == {0.0}
    assert parked == {(("subscription", "order-events"),): 0.0}
