"""Configuration of the logistics service (environment prefix `LOGISTICS_`, shared values unprefixed)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class LogisticsSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "logistics"
    DEFAULT_PORT: ClassVar[int] = 8083
