"""Configuration of the catalog service: environment variables `CATALOG_<SETTING>`, and no others."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.catalog.domain.policy import CatalogPolicy
from shared.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "catalog"
    DEFAULT_PORT: ClassVar[int] = 8081
    DEVELOPMENT_DEFAULTS = (*ServiceSettings.DEVELOPMENT_DEFAULTS, "quote_signing_key_file")

    # `CATALOG_POLICY__REVIEWS__WINDOW=P45D` overrides one rule; the defaults are PRODUCT.md's numbers.
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_nested_delimiter="__")

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
