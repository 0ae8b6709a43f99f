"""Configuration of the escrow service: environment variables `ESCROW_<SETTING>`, and no others."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.terms import Incoterm
from shared.contracts.escrow import BuyerTier, CompensationFunding
from shared.money import Money
from shared.settings import ServiceSettings


def _default_windows() -> dict[BuyerTier, int]:
    return {BuyerTier.STANDARD: 30, BuyerTier.ENTERPRISE: 60, BuyerTier.ENTERPRISE_PRO: 60}


def _default_timezones() -> dict[str, str]:
    # The destination's time zone fixes the promised delivery day; the buyer may name another one.
    return {
        "US": "America/New_York",
        "CA": "America/Toronto",
        "MX": "America/Mexico_City",
        "GB": "Europe/London",
        "UK": "Europe/London",
        "DE": "Europe/Berlin",
        "FR": "Europe/Paris",
        "IT": "Europe/Rome",
        "ES": "Europe/Madrid",
        "NL": "Europe/Amsterdam",
        "PL": "Europe/Warsaw",
        "JP": "Asia/Tokyo",
        "KR": "Asia/Seoul",
        "CN": "Asia/Shanghai",
        "KW": "Asia/Kuwait",
        "AE": "Asia/Dubai",
        "SA": "Asia/Riyadh",
        "AU": "Australia/Sydney",
    }


class EscrowSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "escrow"
    DEFAULT_PORT: ClassVar[int] = 8082
    DEVELOPMENT_DEFAULTS = (
        *ServiceSettings.DEVELOPMENT_DEFAULTS,
        "quote_public_keys_file",
        "payment_webhook_secrets",
    )

    # Catalog's quote signing keys (the local stack writes them; env ESCROW_QUOTE_PUBLIC_KEYS_FILE).
    quote_public_keys_file: Path = Path(".local/quote-keys/jwks.json")
    quote_audience: str = "tradeguard-escrow"
    quote_issuer: str = "tradeguard-catalog"

    # A development default (refused outside sandbox mode): in production the secrets come from the
    # environment (ESCROW_PAYMENT_WEBHOOK_SECRETS), several at once during a rotation.
    payment_webhook_secrets: list[str] = Field(default_factory=lambda: ["whsec_dev_escrow_payments"])
    # Where the sandbox provider posts its webhooks; by default back to the origin that drove it.
    sandbox_webhook_base_url: str | None = None
    sandbox_webhook_timeout_seconds: float = 10.0

    # Product policy (PRODUCT.md §2): every number is configuration.
    auto_confirm_days: int = Field(default=14, ge=0)
    platform_fee_bps: int = Field(default=200, ge=0, le=10_000)
    money_back_window_days: dict[BuyerTier, int] = Field(default_factory=_default_windows)
    compensation_cap_usd_cents: int = Field(default=10_000, ge=1)
    compensation_funded_by: CompensationFunding = CompensationFunding.GUARANTEE_FUND
    automatic_compensation_tiers: list[BuyerTier] = Field(
        default_factory=lambda: [BuyerTier.ENTERPRISE, BuyerTier.ENTERPRISE_PRO]
    )
    compensation_claim_window_days: int = Field(default=30, ge=0)

    # Order terms a quote does not fix, used when the buyer does not name them.
    default_incoterm: Incoterm = Incoterm.DAP
    default_handling_days: int = Field(default=7, ge=1)
    default_transit_days: int = Field(default=20, ge=1)
    destination_timezones: dict[str, str] = Field(default_factory=_default_timezones)

    timer_interval_seconds: float = Field(default=1.0, gt=0)

    def policy(self) -> EscrowPolicy:
        return EscrowPolicy(
            auto_confirm_days=self.auto_confirm_days,
            platform_fee_bps=self.platform_fee_bps,
            money_back_window_days=self.money_back_window_days,
            compensation_cap=Money(amount=self.compensation_cap_usd_cents, currency="USD"),
            compensation_funded_by=self.compensation_funded_by,
            automatic_compensation_tiers=frozenset(self.automatic_compensation_tiers),
            compensation_claim_window_days=self.compensation_claim_window_days,
        )

    @property
    def default_handling_time(self) -> timedelta:
        return timedelta(days=self.default_handling_days)
