"""Signing in: in sandbox mode pick an operator role and id (a token is minted with the local development
key); behind the gateway the token arrives as a bearer header and the console never mints one."""

from __future__ import annotations

from aiohttp import web

from services.console.deps import IDENTITY, OPERATOR, SESSION
from services.console.operators import SignInRefused, operator_roles
from services.console.pages import render, see_other
from services.console.session import Session

routes = web.RouteTableDef()


def _next_page(value: object) -> str:
    # Only a path on this console: never an open redirect to another site.
    text = value if isinstance(value, str) else ""
    return text if text.startswith("/") and not text.startswith("//") else "/"


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    who = request.get(OPERATOR)
    if who is None:
        return see_other("/signin")
    return render(request, "home.html")


@routes.get("/signin")
async def sign_in_page(request: web.Request) -> web.Response:
    return render(
        request,
        "signin.html",
        mints=request.app[IDENTITY].mints,
        roles=operator_roles(),
        next_page=_next_page(request.query.get("next")),
        expired="expired" in request.query,
    )


@routes.post("/signin")
async def sign_in(request: web.Request) -> web.Response:
    form = await request.post()
    identity = request.app[IDENTITY]
    try:
        token = identity.mint(operator_id=str(form.get("operator_id", "")), role=str(form.get("role", "")))
    except SignInRefused as refusal:
        return render(
            request,
            "signin.html",
            status=403 if not identity.mints else 422,
            mints=identity.mints,
            roles=operator_roles(),
            next_page=_next_page(form.get("next")),
            error=str(refusal),
        )
    request[SESSION] = request[SESSION].signed_in_with(token)
    return see_other(_next_page(form.get("next")))


@routes.post("/signout")
async def sign_out(request: web.Request) -> web.Response:
    request[SESSION] = Session.fresh()
    return see_other("/signin")
