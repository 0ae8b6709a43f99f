"""Each service reads only its own prefixed environment variables."""

from __future__ import annotations

import pytest

from services.catalog.settings import CatalogSettings
from services.escrow.settings import EscrowSettings


def test_a_service_reads_its_own_prefixed_variables_and_no_unprefixed_or_other_services_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given one environment holding unprefixed values and two services' own
    monkeypatch.delenv("CATALOG_MONGO_URL", raising=False)
    monkeypatch.delenv("ESCROW_SANDBOX", raising=False)
    monkeypatch.setenv("MONGO_URL", "mongodb://shared.example:27017/")
    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("ESCROW_MONGO_URL", "mongodb://escrow.example:27017/")
    monkeypatch.setenv("CATALOG_SANDBOX", "true")

    escrow, catalog = EscrowSettings(), CatalogSettings()

    # Then each service took its own values only, and defaults for the rest
    assert escrow.mongo_url == "mongodb://escrow.example:27017/"
    assert escrow.sandbox is False
    assert catalog.mongo_url == CatalogSettings.model_fields["mongo_url"].default
    assert catalog.sandbox is True
