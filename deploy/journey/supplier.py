"""The supplier's side of the journey: registered, verified by an audit, enrolled in Trade Assurance, listing
products."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.journey.steps import Caller


def verified_audit(
    now: datetime | None = None,
    *,
    agency: str = "SGS",
    report_ref: str = "SGS-2026-0042",
    advanced_manufacturing: bool = True,
) -> dict[str, Any]:
    """An audit covering online and on-site checks, valid at `now`: it makes a supplier Verified."""
    at = now or datetime.now(UTC).replace(microsecond=0)
    return {
        "agency": agency,
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": report_ref,
        "audited_at": (at - timedelta(days=30)).isoformat(),
        "expires_at": (at + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": advanced_manufacturing,
    }


async def register_supplier(caller: Caller, supplier_id: str, profile: dict[str, Any]) -> None:
    token = caller.token(supplier_id, "supplier")
    await caller.call("catalog", "POST", "/v1/suppliers", token=token, json=profile)


async def pass_audit(caller: Caller, verifier: str, supplier_id: str, audit: dict[str, Any]) -> None:
    path = f"/v1/suppliers/{supplier_id}/audits"
    await caller.call("catalog", "POST", path, token=verifier, json=audit)


async def enrol_in_trade_assurance(caller: Caller, verifier: str, supplier_id: str) -> None:
    path = f"/v1/suppliers/{supplier_id}/trade-assurance"
    await caller.call("catalog", "PUT", path, token=verifier, json={"enrolled": True})


async def list_product(caller: Caller, supplier_id: str, terms: dict[str, Any]) -> str:
    """The supplier lists a product; its id."""
    token = caller.token(supplier_id, "supplier")
    return str((await caller.call("catalog", "POST", "/v1/products", token=token, json=terms))["id"])


async def onboard_supplier(caller: Caller, run: str, supplier_id: str, *, legal_name: str) -> None:
    """A supplier registers its profile, passes an on-site audit (Verified) and enrols in Trade Assurance."""
    verifier = caller.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": legal_name,
        "country": "CN",
        "year_established": 2012,
        "main_markets": ["EU", "US"],
        "staff_count": 90,
        "factory_size_m2": 6000,
    }
    await register_supplier(caller, supplier_id, profile)
    await pass_audit(caller, verifier, supplier_id, verified_audit())
    await enrol_in_trade_assurance(caller, verifier, supplier_id)
