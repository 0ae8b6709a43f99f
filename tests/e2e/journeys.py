"""Request bodies every end-to-end journey needs, written once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def verified_audit() -> dict[str, Any]:
    """An SGS audit covering online and on-site checks, valid now: it makes a supplier Verified."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "agency": "SGS",
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": "SGS-2026-0042",
        "audited_at": (now - timedelta(days=30)).isoformat(),
        "expires_at": (now + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": True,
    }
