"""Configuration of the escrow service: environment variables `ESCROW_<SETTING>`, and no others."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.terms import Incoterm
from shared.settings import ServiceSettings


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

    # PRODUCT.md §2's numbers live once, as EscrowPolicy's defaults; one rule is overridden on its own,
    # e.g. ESCROW_POLICY__PLATFORM_FEE_BPS=250.
    policy: EscrowPolicy = Field(default_factory=EscrowPolicy)

    # Order terms a quote does not fix, used when the buyer does not name them.
    default_incoterm: Incoterm = Incoterm.DAP
    default_handling_days: int = Field(default=7, ge=1)
    default_transit_days: int = Field(default=20, ge=1)

    timer_interval_seconds: float = Field(default=1.0, gt=0)

    @property
    def default_handling_time(self) -> timedelta:
        return timedelta(days=self.default_handling_days)
