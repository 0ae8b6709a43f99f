"""Configuration of the logistics service: environment variables `LOGISTICS_<SETTING>`, and no others."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.settings import ServiceSettings

from .domain.policy import LogisticsPolicy


class LogisticsSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "logistics"
    DEFAULT_PORT: ClassVar[int] = 8083
    # Who may create and change Guaranteed routes (the JWT only knows the platform's ops roles).
    route_manager_roles: list[str] = Field(default_factory=lambda: ["ops:verification"])
    # PRODUCT.md §3's numbers live once, as LogisticsPolicy's defaults; one rule is overridden on its own,
    # e.g. LOGISTICS_POLICY__EASY_RETURN_QUALITY_REASONS='["defective"]'. Easy Return's programme (countries,
    # cap, window) is catalog's, decided at the quote (CATALOG_POLICY__QUOTES__EASY_RETURN__...).
    policy: LogisticsPolicy = Field(default_factory=LogisticsPolicy)
    # Local return warehouse per destination country; unlisted countries use `wh-<country>`.
    return_warehouses: dict[str, str] = Field(default_factory=dict)
    # One secret per provider, keyed by the id in its webhook path (several during a rotation), from the
    # environment: LOGISTICS_CARRIER_WEBHOOK_SECRETS='{"dhl": ["whsec_..."], "ups": ["whsec_..."]}'.
    # A provider without secrets is refused: leaking one carrier's secret lets no one speak for another.
    carrier_webhook_secrets: dict[str, list[str]] = Field(default_factory=dict)
    agency_webhook_secrets: dict[str, list[str]] = Field(default_factory=dict)
    # What the sandbox carrier and agencies sign with, accepted for any provider in sandbox mode only.
    sandbox_webhook_secret: str = "whsec_dev_sandbox_providers"
    sandbox_provider_timeout_seconds: float = Field(default=10.0, gt=0)
    sla_sweep_seconds: float = Field(default=1.0, gt=0)
    sla_batch_size: int = Field(default=100, ge=1)

    def carrier_secrets(self, carrier: str) -> list[str]:
        return self._secrets(self.carrier_webhook_secrets, carrier)

    def agency_secrets(self, agency: str) -> list[str]:
        return self._secrets(self.agency_webhook_secrets, agency)

    def _secrets(self, configured: dict[str, list[str]], provider: str) -> list[str]:
        if provider in configured:
            return configured[provider]
        return [self.sandbox_webhook_secret] if self.sandbox else []

    def return_warehouse(self, country: str) -> str:
        return self.return_warehouses.get(country, f"wh-{country.lower()}")
