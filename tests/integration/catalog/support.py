"""Driving the catalog over HTTP in tests: suppliers, verification facts, products, searches."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.security.keys import PUBLIC_KEYS_FILE
from shared.timers import DueTimer
from tests.support.clocks import FrozenTestClock
from tests.support.services import RunningService, Tokens

# Near the wall clock: signed quotes carry a real `exp` that verifiers check against real time.
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)
OPS = "officer-1"


def at(moment: datetime) -> str:
    return moment.isoformat()


def usd(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def profile(country: str = "CN", **overrides: Any) -> dict[str, Any]:
    return {
        "legal_name": "Ningbo Widgets Co., Ltd.",
        "country": country,
        "year_established": 2010,
        "main_markets": ["EU", "US"],
        "staff_count": 120,
        "factory_size_m2": 8000,
        **overrides,
    }


def audit(**overrides: Any) -> dict[str, Any]:
    return {
        "agency": "SGS",
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": "SGS-2026-0042",
        "audited_at": at(NOW - 30 * DAY),
        "expires_at": at(NOW + 335 * DAY),
        "advanced_manufacturing_attested": True,
        **overrides,
    }


def certification(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "certification",
        "name": "ISO 9001",
        "number": "ISO-9001-123",
        "issuer": "TÜV Rheinland",
        "valid_from": at(NOW - 100 * DAY),
        "valid_until": at(NOW + 265 * DAY),
        "status": "verified",
        **overrides,
    }


def terms(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Stainless steel bottle 750 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "tiers": [
            {"min_qty": 100, "max_qty": 499, "unit_price": usd(500)},
            {"min_qty": 500, "max_qty": 1999, "unit_price": usd(450)},
            {"min_qty": 2000, "unit_price": usd(400)},
        ],
        **overrides,
    }


def priced(unit_price: int, moq: int = 100, currency: str = "USD", **overrides: Any) -> dict[str, Any]:
    """Terms with a single open tier at `unit_price` (minor units) from the MOQ."""
    price = {"amount": unit_price, "currency": currency}
    return terms(moq=moq, currency=currency, tiers=[{"min_qty": moq, "unit_price": price}], **overrides)


@dataclass
class Catalog:
    service: RunningService
    tokens: Tokens
    clock: FrozenTestClock
    quote_keys: Path
    _keys: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def quote_public_keys(self) -> Path:
        return self.quote_keys.with_name(PUBLIC_KEYS_FILE)

    @property
    def badge_timer(self) -> DueTimer:
        return next(w for w in self.service.platform.workers if isinstance(w, DueTimer))

    async def call(self, method: str, path: str, token: str, body: Any = None, **params: Any) -> Any:
        """One request; mutating ones carry a fresh Idempotency-Key. Returns (status, JSON body)."""
        key = f"k-{next(self._keys)}" if method != "GET" else None
        query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
        response = await self.service.call(
            method, path, token=token, json=body, params=query or None, idempotency_key=key
        )
        return response.status, await response.json()

    async def ok(self, method: str, path: str, token: str, body: Any = None, **params: Any) -> Any:
        status, payload = await self.call(method, path, token, body, **params)
        assert status in (200, 201), (status, payload)
        return payload

    def supplier_token(self, supplier_id: str) -> str:
        return self.tokens.supplier(supplier_id)

    @property
    def officer(self) -> str:
        return self.tokens.ops(OPS, "ops:verification")

    async def register(self, supplier_id: str, country: str = "CN") -> Any:
        return await self.ok("POST", "/v1/suppliers", self.supplier_token(supplier_id), profile(country))

    async def record(self, supplier_id: str, fact: str, body: dict[str, Any], method: str = "POST") -> Any:
        return await self.ok(method, f"/v1/suppliers/{supplier_id}/{fact}", self.officer, body)

    async def make_verified(self, supplier_id: str, **audit_overrides: Any) -> Any:
        return await self.record(supplier_id, "audits", audit(**audit_overrides))

    async def make_verified_pro(self, supplier_id: str) -> Any:
        await self.make_verified(supplier_id)
        await self.record(supplier_id, "certifications", certification())
        case = {
            "client": "Acme",
            "summary": "10k units",
            "evidence_url": "https://x/c",
            "documented_at": at(NOW - DAY),
        }
        await self.record(supplier_id, "client-cases", case)
        performance = {"export_percentile": 90, "experience_since": at(NOW - 6 * 365 * DAY)}
        return await self.record(supplier_id, "export-performance", performance, method="PUT")

    async def list_product(self, supplier_id: str, body: dict[str, Any] | None = None) -> str:
        created = await self.ok("POST", "/v1/products", self.supplier_token(supplier_id), body or terms())
        return str(created["id"])

    async def search(self, **params: Any) -> Any:
        return await self.ok("GET", "/v1/products", self.tokens.buyer("b-search"), **params)

    async def found(self, **params: Any) -> list[str]:
        return [item["id"] for item in (await self.search(**params))["items"]]
