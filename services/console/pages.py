"""Rendering a page, redirecting after a form, and the guard that opens a desk only to its role."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web

from services.console.deps import OPERATOR, SESSION
from services.console.operators import Desk, Operator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    return aiohttp_jinja2.render_template(
        template, request, {**page_context(request), **context}, status=status
    )


def see_other(location: str) -> web.Response:
    """POST → redirect → GET: a reload never resubmits a decision."""
    return web.Response(status=303, headers={"Location": location})


def operator(request: web.Request) -> Operator:
    return request[OPERATOR]


def opens_to(*desks: Desk) -> Callable[[Handler], Handler]:
    """The page is served to an operator of one of `desks`' roles; sign in first, 403 for anyone else."""
    roles = {opened.role for opened in desks}

    def guard(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            who = request.get(OPERATOR)
            if who is None:
                return see_other(f"/signin?next={quote(request.path_qs, safe='')}")
            if who.principal.role not in roles:
                return refused(request, who, desks)
            return await handler(request)

        return guarded

    return guard


def refused(request: web.Request, who: Operator, desks: Iterable[Desk]) -> web.Response:
    return render(
        request,
        "refused.html",
        status=403,
        role=who.principal.role,
        wanted=sorted(str(opened.role) for opened in desks),
    )


def page_context(request: web.Request) -> dict[str, Any]:
    """What every template may use: the operator (or None), its desks and the form's CSRF value."""
    session = request.get(SESSION)
    who = request.get(OPERATOR)
    return {
        "operator": who,
        "desks": who.desks if who else [],
        "csrf_token": session.csrf if session else "",
        "path": request.path,
    }
