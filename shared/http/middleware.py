"""Per-request plumbing: correlation id, one access-log line, Prometheus metrics, errors as problem+json."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable, Iterable

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from shared.correlation import correlated
from shared.http.problems import ERROR_STATUSES, Problem, problem_for
from shared.http.rate_limit import RateLimiter, rate_limited
from shared.metrics import PlatformMetrics
from shared.mongo import is_unavailable

CORRELATION_HEADER = "X-Correlation-ID"
# Echoed into logs and headers: accept only a plain token, so a caller cannot inject log content.
_VALID_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = structlog.get_logger("shared.http")


def platform_middlewares(
    metrics: PlatformMetrics, *, limiter: RateLimiter, body_timeout_seconds: float
) -> list[Middleware]:
    """Outermost first: the access log and metrics see the status the client finally gets, and a request
    over its caller's rate limit is refused before its body is read."""
    return [
        *request_middlewares(metrics),
        _render_problems,
        rate_limited(limiter),
        _body_read_within(body_timeout_seconds),
    ]


def request_middlewares(metrics: PlatformMetrics) -> list[Middleware]:
    """Correlation id, access log and metrics, for any aiohttp app (the console renders its own errors)."""
    return [_correlate, _observe(metrics)]


@web.middleware
async def _correlate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The id tying this request to its logs and the events it records (shared.correlation)."""
    given = request.headers.get(CORRELATION_HEADER, "")
    correlation_id = given if _VALID_CORRELATION_ID.match(given) else str(uuid.uuid4())
    with correlated(correlation_id):
        response = await handler(request)
    response.headers[CORRELATION_HEADER] = correlation_id
    return response


def _observe(metrics: PlatformMetrics) -> Middleware:
    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500  # what the client sees if the request is cancelled or the connection breaks
        try:
            response = await handler(request)
            status = response.status
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = _route_label(request)
            metrics.http_requests.labels(request.method, route, str(status)).inc()
            metrics.http_latency.labels(request.method, route).observe(elapsed)
            log.info(
                "http_request",
                method=request.method,
                route=route,
                status=status,
                latency_ms=round(elapsed * 1000, 2),
            )

    return observe


@web.middleware
async def _render_problems(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        problem = problem_for(error, request.app[ERROR_STATUSES]) or _internal_error()
    except ConnectionError:
        # The client went away mid-request (ConnectionResetError, aiohttp's reset): its doing, not a bug.
        log.info("http_request_aborted", method=request.method, route=_route_label(request))
        problem = Problem(400, "client-disconnected", "Bad Request.", "the connection closed mid-request")
    except Exception as error:
        found = problem_for(error, request.app[ERROR_STATUSES])
        if is_unavailable(error):
            # An outage, not a bug: one line per request; /readyz tells the rest.
            log.warning("http_database_unavailable", route=_route_label(request), error=repr(error))
        elif found is None or found.status >= 500:
            log.exception("http_request_failed", method=request.method, route=_route_label(request))
        problem = found or _internal_error()
    return problem.to_response(instance=request.path)


def _body_read_within(seconds: float) -> Middleware:
    """A body arrives within `seconds` or the request is answered 408 and its connection closed."""

    @web.middleware
    async def read_body(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.body_exists:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()  # kept by the request: the route's own read returns it at once
            except TimeoutError:
                log.info("http_body_timeout", method=request.method, route=_route_label(request))
                problem = Problem(
                    408, "request-timeout", "Request Timeout.", f"the body took longer than {seconds:g} s"
                )
                response = problem.to_response(instance=request.path)
                response.force_close()
                return response
        return await handler(request)

    return read_body


def expect_routes(
    metrics: PlatformMetrics,
    router: web.UrlDispatcher,
    documented: Callable[[str, str], Iterable[int]] = lambda method, route: (),
) -> None:
    """Every routed endpoint's series at zero, with the statuses its document declares (and any 5xx)."""
    for resource in router.resources():
        for route in resource:
            metrics.expect_route(
                route.method, resource.canonical, documented(route.method, resource.canonical)
            )


def _route_label(request: web.Request) -> str:
    # The route template, not the concrete path, keeps metric label cardinality bounded.
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


def _internal_error() -> Problem:
    return Problem(
        500, "internal-error", "Internal Server Error.", "the error was logged; please retry later"
    )
