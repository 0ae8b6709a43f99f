"""Every request: open the session cookie, adopt the gateway's token, refuse a form without its CSRF
value, render failures as pages, and send headers that keep other sites and inline scripts out."""

from __future__ import annotations

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from services.console.deps import CODEC, IDENTITY, OPERATOR, SESSION, SETTINGS
from services.console.pages import render, see_other
from services.console.session import COOKIE_NAME, CSRF_FIELD, Session
from services.console.upstream import UpstreamDown, UpstreamRefused

log = structlog.get_logger("services.console")

# No inline script, no third-party origin, no framing: the console serves every asset itself.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PLATFORM_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if not request.path.startswith("/static/"):
        response.headers.update(SECURITY_HEADERS)
    return response


@web.middleware
async def failures_as_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A service's refusal is shown with its reason; an expired token sends the operator to sign in."""
    try:
        return await handler(request)
    except UpstreamRefused as refusal:
        if refusal.status == 401:
            request[SESSION] = Session.fresh()
            return see_other("/signin?expired=1")
        status = refusal.status if refusal.status in (403, 404, 409, 422) else 502
        return render(request, "problem.html", status=status, refusal=refusal)
    except UpstreamDown as down:
        log.warning("upstream_down", service=down.service)
        return render(request, "problem.html", status=503, down=down)


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PLATFORM_PATHS or request.path.startswith("/static/"):
        return await handler(request)
    codec = request.app[CODEC]
    opened = codec.open(request.cookies.get(COOKIE_NAME))
    session = opened or Session.fresh()
    if request.method in UNSAFE_METHODS:
        form = await request.post()
        submitted = form.get(CSRF_FIELD)
        if not session.accepts(submitted if isinstance(submitted, str) else None):
            log.warning("csrf_refused", path=request.path)
            return render(request, "problem.html", status=403, csrf=True)
    session = _with_gateway_token(request, session)
    request[SESSION] = session
    if session.signed_in:
        who = request.app[IDENTITY].operator(session.token)
        if who is None:  # expired or no longer trusted: start over
            session = request[SESSION] = Session.fresh()
        else:
            request[OPERATOR] = who
    response = await handler(request)
    if request[SESSION] != opened:
        _set_cookie(request, response, request[SESSION])
    return response


def _with_gateway_token(request: web.Request, session: Session) -> Session:
    """Behind the gateway, the token arrives as a bearer header; it replaces whatever the cookie held."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token or token == session.token:
        return session
    return session.signed_in_with(token)


def _set_cookie(request: web.Request, response: web.StreamResponse, session: Session) -> None:
    settings = request.app[SETTINGS]
    response.set_cookie(
        COOKIE_NAME,
        request.app[CODEC].seal(session),
        max_age=settings.session_ttl_seconds,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=settings.secure_cookies,
    )
