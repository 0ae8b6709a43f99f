"""Configuration of the disputes service (environment prefix `DISPUTES_`, shared values unprefixed)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class DisputesSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "disputes"
    DEFAULT_PORT: ClassVar[int] = 8084
