"""Mediation: the queue (oldest escalation first) → the case file → take it, ask for evidence, decide."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiohttp import web

from services.console.deps import UPSTREAM
from services.console.desks.decisions import FAVOURS, Decision, DecisionInvalid
from services.console.operators import desk
from services.console.pages import opens_to, operator, render, see_other
from services.console.upstream import UpstreamRefused, absent_as_none

MEDIATION = desk("mediation")
QUEUE_STATUSES = ("escalated", "under_mediation")
routes = web.RouteTableDef()


@routes.get("/mediation")
@opens_to(MEDIATION)
async def queue(request: web.Request) -> web.Response:
    status = request.query.get("status", "")
    params: dict[str, str | list[str]] = {"limit": "50"}
    if status in QUEUE_STATUSES:
        params["status"] = status
    if cursor := request.query.get("cursor"):
        params["cursor"] = cursor
    page = await request.app[UPSTREAM].get("disputes", "/v1/mediation/queue", operator(request).token, params)
    return render(
        request, "mediation/queue.html", page=page, chosen=status, statuses=QUEUE_STATUSES, desk=MEDIATION
    )


@routes.get("/mediation/cases/{claim_id}")
@opens_to(MEDIATION)
async def case(request: web.Request) -> web.Response:
    return render(request, "mediation/case.html", **await _case_file(request))


@routes.post("/mediation/cases/{claim_id}/take")
@opens_to(MEDIATION)
async def take(request: web.Request) -> web.Response:
    claim_id = request.match_info["claim_id"]
    await request.app[UPSTREAM].post(
        "disputes", f"/v1/disputes/{claim_id}/mediation", operator(request).token
    )
    return see_other(f"/mediation/cases/{claim_id}")


@routes.post("/mediation/cases/{claim_id}/evidence-requests")
@opens_to(MEDIATION)
async def request_evidence(request: web.Request) -> web.Response:
    claim_id = request.match_info["claim_id"]
    form = await request.post()
    body: dict[str, Any] = {"party": form.get("party"), "description": str(form.get("description", ""))}
    if days := str(form.get("respond_within_days", "")).strip():
        body["respond_within_days"] = days
    try:
        await request.app[UPSTREAM].post(
            "disputes", f"/v1/disputes/{claim_id}/evidence-requests", operator(request).token, body
        )
    except UpstreamRefused as refusal:
        if refusal.status != 422:
            raise
        return render(
            request,
            "mediation/case.html",
            status=422,
            evidence_error=refusal.message,
            **await _case_file(request),
        )
    return see_other(f"/mediation/cases/{claim_id}")


@routes.post("/mediation/cases/{claim_id}/decision/review")
@opens_to(MEDIATION)
async def review_decision(request: web.Request) -> web.Response:
    """The confirmation step: the decision in words, to be confirmed or taken back."""
    context = await _case_file(request)
    form = await request.post()
    try:
        decision = Decision.from_form(form, context["claim"]["amount"]["currency"])
    except DecisionInvalid as invalid:
        return render(request, "mediation/case.html", status=422, decision_error=str(invalid), **context)
    return render(
        request,
        "mediation/confirm.html",
        decision=decision,
        idempotency_key=uuid.uuid4().hex,
        **context,
    )


@routes.post("/mediation/cases/{claim_id}/decision")
@opens_to(MEDIATION)
async def decide(request: web.Request) -> web.Response:
    claim_id = request.match_info["claim_id"]
    form = await request.post()
    claim = await request.app[UPSTREAM].get("disputes", f"/v1/disputes/{claim_id}", operator(request).token)
    try:
        decision = Decision.from_form(form, claim["amount"]["currency"])
    except DecisionInvalid as invalid:
        context = await _case_file(request)
        return render(request, "mediation/case.html", status=422, decision_error=str(invalid), **context)
    await request.app[UPSTREAM].post(
        "disputes",
        f"/v1/disputes/{claim_id}/decision",
        operator(request).token,
        decision.body(),
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    return see_other(f"/orders/{claim['order_id']}?decided={claim_id}")


async def _case_file(request: web.Request) -> dict[str, Any]:
    """Everything a mediator weighs, from the three services that hold it, fetched side by side."""
    upstream, token = request.app[UPSTREAM], operator(request).token
    claim_id = request.match_info["claim_id"]
    case_file = await upstream.get("disputes", f"/v1/disputes/{claim_id}/case-file", token)
    order_id = case_file["claim"]["order_id"]
    order, shipment, chain, timeline = await asyncio.gather(
        upstream.get("escrow", f"/v1/orders/{order_id}", token),
        absent_as_none(upstream.get("logistics", f"/v1/orders/{order_id}/shipment", token)),
        upstream.get("disputes", f"/v1/orders/{order_id}/messages/verify", token),
        upstream.get("escrow", f"/v1/orders/{order_id}/timeline", token),
    )
    claim = case_file["claim"]
    return {
        "desk": MEDIATION,
        "case": case_file,
        "claim": claim,
        "order": order,
        "shipment": shipment,
        "chain": chain,
        "timeline": timeline["entries"],
        "mine": claim.get("mediator_id") == operator(request).principal.sub,
        "favours": FAVOURS,
    }
