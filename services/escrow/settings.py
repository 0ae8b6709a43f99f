"""Configuration of the escrow service (environment prefix `ESCROW_`, shared values unprefixed)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class EscrowSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "escrow"
    DEFAULT_PORT: ClassVar[int] = 8082
