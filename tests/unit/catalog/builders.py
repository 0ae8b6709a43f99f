"""Builders of valid catalog facts; each test changes only what its rule is about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.catalog.domain.certifications import Certification, CredentialKind, VerificationStatus
from services.catalog.domain.product import PriceTier, Product, ProductTerms, list_product
from services.catalog.domain.supplier import Supplier, SupplierProfile, register_supplier
from services.catalog.domain.verification import (
    Agency,
    Audit,
    AuditScope,
    ClientCase,
    CredentialCheck,
    GoldMembership,
)
from shared.contracts.catalog import SupplierType
from shared.money import ExchangeRate, Money

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
USD_RATE = ExchangeRate.usd(NOW)


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def supplier(
    supplier_id: str = "sup-1", registered_at: datetime = NOW - 3000 * DAY, **facts: Any
) -> Supplier:
    profile = SupplierProfile(
        legal_name="Ningbo Widgets Co., Ltd.",
        country="CN",
        year_established=2010,
        main_markets=("EU", "US"),
        staff_count=120,
        factory_size_m2=8000,
    )
    return register_supplier(supplier_id, profile, registered_at).model_copy(update=facts)


def audit(**overrides: Any) -> Audit:
    fields: dict[str, Any] = {
        "agency": Agency.SGS,
        "scopes": frozenset({AuditScope.ONLINE, AuditScope.ON_SITE}),
        "supplier_type": SupplierType.CUSTOM_MANUFACTURER,
        "report_ref": "SGS-2025-0042",
        "audited_at": NOW - 30 * DAY,
        "expires_at": NOW + 335 * DAY,
        "advanced_manufacturing_attested": True,
    }
    return Audit(**(fields | overrides))


def credential_check(checked_at: datetime = NOW - 60 * DAY) -> CredentialCheck:
    return CredentialCheck(agency="Dun & Bradstreet", reference="DB-77", checked_at=checked_at)


def membership(starts_at: datetime = NOW - 10 * DAY, ends_at: datetime = NOW + 355 * DAY) -> GoldMembership:
    return GoldMembership(starts_at=starts_at, ends_at=ends_at)


def certification(**overrides: Any) -> Certification:
    fields: dict[str, Any] = {
        "kind": CredentialKind.CERTIFICATION,
        "name": "ISO 9001",
        "number": "ISO-9001-123",
        "issuer": "TÜV Rheinland",
        "valid_from": NOW - 100 * DAY,
        "valid_until": NOW + 265 * DAY,
        "status": VerificationStatus.VERIFIED,
    }
    return Certification(**(fields | overrides))


def client_case(documented_at: datetime = NOW - 5 * DAY) -> ClientCase:
    return ClientCase(
        client="Acme GmbH",
        summary="10k units, zero defects",
        evidence_url="https://x/c",
        documented_at=documented_at,
    )


def verified_pro_supplier(**overrides: Any) -> Supplier:
    """A supplier meeting every Verified Pro criterion at NOW."""
    facts: dict[str, Any] = {
        "audits": (audit(),),
        "certifications": (certification(),),
        "client_cases": (client_case(),),
        "export_percentile": 85,
        "experience_since": NOW - 6 * 365 * DAY,
    }
    return supplier(**(facts | overrides))


def terms(**overrides: Any) -> ProductTerms:
    fields: dict[str, Any] = {
        "title": "Stainless steel bottle 750 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "tiers": (
            PriceTier(min_qty=100, max_qty=499, unit_price=usd(500)),
            PriceTier(min_qty=500, max_qty=1999, unit_price=usd(450)),
            PriceTier(min_qty=2000, unit_price=usd(400)),
        ),
    }
    return ProductTerms(**(fields | overrides))


def product(**overrides: Any) -> Product:
    return list_product("prod-1", "sup-1", terms(**overrides), NOW)
