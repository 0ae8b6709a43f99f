"""Verification: suppliers with documents waiting (longest first) → the supplier's documents and badges →
confirm or reject a document → the badges as catalog recomputed them."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from services.console.deps import UPSTREAM
from services.console.operators import desk
from services.console.pages import opens_to, operator, render, see_other

VERIFICATION = desk("verification")
DOCUMENT_DECISIONS = {"verified": "Confirmed", "rejected": "Rejected"}
routes = web.RouteTableDef()


@routes.get("/verification")
@opens_to(VERIFICATION)
async def applications(request: web.Request) -> web.Response:
    params: dict[str, str | list[str]] = {"limit": "50"}
    if cursor := request.query.get("cursor"):
        params["cursor"] = cursor
    page = await request.app[UPSTREAM].get(
        "catalog", "/v1/verification/applications", operator(request).token, params
    )
    return render(request, "verification/queue.html", page=page, desk=VERIFICATION)


@routes.get("/verification/suppliers/{supplier_id}")
@opens_to(VERIFICATION)
async def supplier(request: web.Request) -> web.Response:
    supplier_id = request.match_info["supplier_id"]
    found = await request.app[UPSTREAM].get(
        "catalog", f"/v1/suppliers/{supplier_id}", operator(request).token
    )
    changed = request.query.get("changed")
    return render(
        request,
        "verification/supplier.html",
        supplier=found,
        changed=changed,
        outcome=DOCUMENT_DECISIONS.get(request.query.get("outcome", ""), ""),
        desk=VERIFICATION,
    )


@routes.post("/verification/suppliers/{supplier_id}/certifications/{number}")
@opens_to(VERIFICATION)
async def decide_document(request: web.Request) -> web.Response:
    """Confirm or reject one document; catalog re-evaluates the supplier's badges in the same change."""
    supplier_id, number = request.match_info["supplier_id"], request.match_info["number"]
    status = str((await request.post()).get("status", ""))
    if status not in DOCUMENT_DECISIONS:
        return render(request, "problem.html", status=422, invalid="choose confirm or reject")
    supplier_part, number_part = quote(supplier_id, safe=""), quote(number, safe="")
    await request.app[UPSTREAM].put(
        "catalog",
        f"/v1/suppliers/{supplier_part}/certifications/{number_part}/status",
        operator(request).token,
        {"status": status},
    )
    return see_other(f"/verification/suppliers/{supplier_part}?changed={number_part}&outcome={status}")
