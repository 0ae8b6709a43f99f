"""Configuration of the catalog service (environment prefix `CATALOG_`, shared values unprefixed)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    SERVICE: ClassVar[str] = "catalog"
    DEFAULT_PORT: ClassVar[int] = 8081
