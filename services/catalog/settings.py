"""Configuration of the catalog service: environment variables `CATALOG_<SETTING>`, and no others."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field

from services.catalog.domain.policy import CatalogPolicy
from shared.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "catalog"
    DEFAULT_PORT: ClassVar[int] = 8081
    DEVELOPMENT_DEFAULTS = (*ServiceSettings.DEVELOPMENT_DEFAULTS, "quote_signing_key_file")

    # PRODUCT.md §1's numbers live once, as CatalogPolicy's defaults; CATALOG_POLICY__REVIEWS__WINDOW=P45D
    # overrides one rule.
    policy: CatalogPolicy = CatalogPolicy()
    # Signs quotes for escrow (contract with escrow); the local stack generates it and names it in
    # CATALOG_QUOTE_SIGNING_KEY_FILE.
    quote_signing_key_file: Path = Path(".local/quote-keys/private.pem")
    quote_audience: str = "tradeguard-escrow"
    quote_issuer: str = "tradeguard-catalog"
    search_default_page_size: int = Field(default=20, ge=1)
    search_max_page_size: int = Field(default=100, ge=1)
    # Red flags compare with at most this many listings of a category (a median needs them all in memory).
    red_flag_max_comparables: int = Field(default=5_000, ge=10)
