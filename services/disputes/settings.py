"""Configuration of the disputes service: environment variables `DISPUTES_<SETTING>`, and no others."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from services.disputes.domain.off_platform import OffPlatformRule
from services.disputes.domain.off_platform_patterns import DEFAULT_RULES
from services.disputes.domain.policy import DisputesPolicy
from shared.settings import ServiceSettings


class DisputesSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "disputes"
    DEFAULT_PORT: ClassVar[int] = 8084

    # PRODUCT.md §4's numbers live once, as DisputesPolicy's defaults; override one with
    # DISPUTES_POLICY__SUPPLIER_RESPONSE_DAYS=2 (or the whole as JSON in DISPUTES_POLICY).
    policy: DisputesPolicy = Field(default_factory=DisputesPolicy)
    # The off-platform detector's rule set is data (defaults in domain/off_platform_patterns), replaced
    # whole by DISPUTES_OFF_PLATFORM_RULES='[{"id": ..., "category": "payment_outside", "keywords": [...]}]'.
    off_platform_rules: tuple[OffPlatformRule, ...] = DEFAULT_RULES
    timer_interval_seconds: float = Field(default=1.0, gt=0)
