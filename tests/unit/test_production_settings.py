"""Production refuses what only a sandbox may have: development secrets and keys, shared provider secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web

from services.catalog.settings import CatalogSettings
from services.escrow.settings import EscrowSettings
from services.logistics.settings import LogisticsSettings
from shared.service import run_service

JWT_KEYS = Path("/run/secrets/jwt_public_keys")


def test_outside_sandbox_mode_a_development_secret_or_key_is_named_for_the_operator_to_set() -> None:
    # Given escrow and catalog configured for production except for their development defaults
    escrow = EscrowSettings(sandbox=False, jwt_public_keys_file=JWT_KEYS)
    catalog = CatalogSettings(sandbox=False, jwt_public_keys_file=JWT_KEYS)

    # Then each names the variables still holding them
    assert escrow.development_values() == ["ESCROW_QUOTE_PUBLIC_KEYS_FILE", "ESCROW_PAYMENT_WEBHOOK_SECRETS"]
    assert catalog.development_values() == ["CATALOG_QUOTE_SIGNING_KEY_FILE"]


def test_in_sandbox_mode_development_values_are_allowed() -> None:
    assert EscrowSettings(sandbox=True).development_values() == []


def test_a_service_with_its_own_production_values_has_nothing_to_set() -> None:
    escrow = EscrowSettings(
        sandbox=False,
        quote_public_keys_file=Path("/run/secrets/quote_public_keys"),
        payment_webhook_secrets=["whsec_live_0123"],
        jwt_public_keys_file=JWT_KEYS,
    )
    assert escrow.development_values() == []


def test_a_service_refuses_to_start_outside_sandbox_mode_with_development_values() -> None:
    # Given production settings still holding the development webhook secret
    settings = EscrowSettings(sandbox=False, jwt_public_keys_file=JWT_KEYS)
    built: list[EscrowSettings] = []

    def build_app(given: EscrowSettings) -> web.Application:
        built.append(given)
        return web.Application()

    # When the process starts, then it stops before building anything, naming what to set
    with pytest.raises(SystemExit, match="set ESCROW_QUOTE_PUBLIC_KEYS_FILE, ESCROW_PAYMENT_WEBHOOK_SECRETS"):
        run_service(settings, build_app)
    assert built == []


def test_each_carrier_and_agency_has_its_own_secret_and_an_unlisted_one_has_none() -> None:
    # Given production secrets for two carriers and one agency
    settings = LogisticsSettings(
        sandbox=False,
        carrier_webhook_secrets={"dhl": ["whsec_dhl"], "ups": ["whsec_ups_new", "whsec_ups_old"]},
        agency_webhook_secrets={"sgs": ["whsec_sgs"]},
    )

    # Then each provider is verified with its own, and one not listed (or the sandbox's secret) with none
    assert settings.carrier_secrets("dhl") == ["whsec_dhl"]
    assert settings.carrier_secrets("ups") == ["whsec_ups_new", "whsec_ups_old"]
    assert settings.carrier_secrets("fedex") == []
    assert settings.agency_secrets("sgs") == ["whsec_sgs"]
    assert settings.agency_secrets("intertek") == []


def test_the_sandbox_providers_secret_is_accepted_for_any_provider_in_sandbox_mode_only() -> None:
    sandbox = LogisticsSettings(sandbox=True)
    assert sandbox.carrier_secrets("any-carrier") == [sandbox.sandbox_webhook_secret]
    assert LogisticsSettings(sandbox=False).carrier_secrets("any-carrier") == []
