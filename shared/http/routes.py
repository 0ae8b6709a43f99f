"""A declarative route table: each route states its input model, response model, status and roles.

The table drives both the aiohttp wrapper (auth, idempotency, validation, serialisation) and OpenAPI.
Handlers stay plain coroutines: `(request)` or `(request, model)`, returning a model or a web response.
Routes are declared at module level (`api = Api("orders")`, then `@api.post(...)` on module functions);
what a handler needs (handlers, repositories, settings) it reads from `request.app` under typed
`web.AppKey`s the composition root sets. An `Api` names those keys in `requires`, and the app refuses to
start while one is missing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, replace
from types import UnionType
from typing import Any, Literal, TypeAlias, TypeVar, Union, get_args, get_origin, overload

from aiohttp import web
from pydantic import BaseModel, ValidationError

from shared.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from shared.http.idempotency import MUTATING_METHODS, IdempotencyStore
from shared.http.pages import Page, next_link
from shared.http.problems import Problem, validation_problem
from shared.mongo import database_deadline
from shared.security.jwt import Principal, TokenRejected, TokenVerifier
from shared.security.roles import Role

Reply: TypeAlias = BaseModel | web.StreamResponse
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=Reply)
PlainHandler: TypeAlias = Callable[[web.Request], Awaitable[R]]
ModelHandler: TypeAlias = Callable[[web.Request, M], Awaitable[R]]
Handler: TypeAlias = Callable[..., Awaitable[Reply]]

VERIFIER = web.AppKey("token_verifier", TokenVerifier)
IDEMPOTENCY = web.AppKey("idempotency_store", IdempotencyStore)
# Seconds the database calls of one request may take in all (`shared.mongo.database_deadline`).
DATABASE_DEADLINE = web.AppKey("database_deadline_seconds", float)
PRINCIPAL = web.RequestKey("principal", Principal)
# The bearer token's principal once a middleware has verified it (shared.http.rate_limit), before roles.
AUTHENTICATED = web.RequestKey("authenticated", Principal)


@dataclass(frozen=True)
class PerAudience:
    """A route answering each audience its own view: one model per audience, the richest first.

    OpenAPI states the answer as `anyOf` the views (a generated client tries them in that order); the
    handler picks the caller's from the shared guard's relation (shared/security/access.py).
    """

    views: tuple[type[BaseModel], ...]

    def __init__(self, *views: type[BaseModel]) -> None:
        if len(views) < 2:
            raise ValueError("a route answering one view declares it as its response")
        object.__setattr__(self, "views", views)


Response: TypeAlias = type[BaseModel] | PerAudience


@dataclass(frozen=True)
class Route:
    """One declared endpoint. `roles=None` means public: only provider webhooks and sandbox controls."""

    method: str
    path: str
    handler: Handler
    roles: frozenset[Role] | None
    input_model: type[BaseModel] | None
    input_from: Literal["body", "query"]
    response: Response | None
    status: int
    summary: str
    # Public routes that authenticate the sender by a signature header instead (provider webhooks).
    signature_header: str | None = None
    # Their body: documented here, parsed by the handler once the signature over the raw bytes checks out.
    signed_body: type[BaseModel] | None = None
    # Domain errors it may answer beyond the platform's own problems, documented with the service's status.
    raises: tuple[type[Exception], ...] = ()

    @property
    def is_mutating(self) -> bool:
        return self.method in MUTATING_METHODS

    @property
    def response_models(self) -> tuple[type[BaseModel], ...]:
        """Every model the route may answer with: its one response, or each audience's view."""
        if self.response is None:
            return ()
        return self.response.views if isinstance(self.response, PerAudience) else (self.response,)


class Api:
    """A group of routes, usually one per resource module; `create_app` mounts every `Api` it is given.

    `requires`: the app keys its handlers read; `create_app` checks at startup that each one is set.
    `database`: whether its handlers touch the service's database (and so may answer 503 while it is gone).
    """

    def __init__(
        self, tag: str = "", *, requires: Iterable[web.AppKey[Any]] = (), database: bool = True
    ) -> None:
        self.tag = tag
        self.requires: tuple[web.AppKey[Any], ...] = tuple(requires)
        self.database = database
        self.routes: list[Route] = []
        self.post = _WithBody(self, "POST")
        self.put = _WithBody(self, "PUT")
        self.patch = _WithBody(self, "PATCH")

    @overload
    def get(
        self,
        path: str,
        *,
        query: type[M],
        response: Response | None = None,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
    ) -> Callable[[ModelHandler[M, R]], ModelHandler[M, R]]: ...
    @overload
    def get(
        self,
        path: str,
        *,
        query: None = None,
        response: Response | None = None,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
    ) -> Callable[[PlainHandler[R]], PlainHandler[R]]: ...
    def get(
        self,
        path: str,
        *,
        query: type[BaseModel] | None = None,
        response: Response | None = None,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
    ) -> Callable[[Any], Any]:
        return self.declare(
            "GET",
            path,
            roles=roles,
            model=query,
            source="query",
            response=response,
            summary=summary,
            raises=raises,
        )

    def delete(
        self,
        path: str,
        *,
        response: Response | None = None,
        status: int = 200,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
    ) -> Callable[[PlainHandler[R]], PlainHandler[R]]:
        return self.declare(
            "DELETE", path, roles=roles, response=response, status=status, summary=summary, raises=raises
        )

    def declare(
        self,
        method: str,
        path: str,
        *,
        roles: Collection[Role] | None,
        model: type[BaseModel] | None = None,
        source: Literal["body", "query"] = "body",
        response: Response | None = None,
        status: int = 200,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
        signature_header: str | None = None,
        signed_body: type[BaseModel] | None = None,
    ) -> Callable[[Any], Any]:
        def register(handler: Handler) -> Handler:
            self.routes.append(
                Route(
                    method,
                    path,
                    handler,
                    None if roles is None else frozenset(roles),
                    model,
                    source,
                    response,
                    status,
                    summary or (handler.__doc__ or "").strip().split("\n")[0],
                    signature_header,
                    signed_body,
                    tuple(raises),
                )
            )
            return handler

        return register

    def only(self, keep: Callable[[Route], bool]) -> Api:
        """A copy serving only the routes `keep` accepts (this table itself never changes)."""
        copy = Api(self.tag, requires=self.requires)
        copy.routes = [route for route in self.routes if keep(route)]
        return copy

    def with_roles(self, roles: Collection[Role], *handlers: Handler) -> Api:
        """A copy where the routes of `handlers` admit `roles`: for role sets that are configuration."""
        unknown = set(handlers) - {route.handler for route in self.routes}
        if unknown:
            raise ValueError(f"not routes of {self.tag!r}: {sorted(h.__name__ for h in unknown)}")
        copy = Api(self.tag, requires=self.requires)
        copy.routes = [
            replace(route, roles=frozenset(roles)) if route.handler in handlers else route
            for route in self.routes
        ]
        return copy

    def missing(self, app: web.Application) -> list[str]:
        """The names of the required app keys `app` has no value for."""
        return [repr(key) for key in self.requires if key not in app]

    def mount(self, router: web.UrlDispatcher) -> None:
        for route in self.routes:
            router.add_route(route.method, route.path, _endpoint(route), name=route.handler.__name__)


class _WithBody:
    """`api.post` / `api.put` / `api.patch`: a route whose input is the JSON body, if it has one."""

    def __init__(self, api: Api, method: str) -> None:
        self._api = api
        self._method = method

    @overload
    def __call__(
        self,
        path: str,
        *,
        body: type[M],
        response: Response | None = None,
        status: int = 200,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
        signature_header: str | None = None,
        signed_body: type[BaseModel] | None = None,
    ) -> Callable[[ModelHandler[M, R]], ModelHandler[M, R]]: ...
    @overload
    def __call__(
        self,
        path: str,
        *,
        body: None = None,
        response: Response | None = None,
        status: int = 200,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
        signature_header: str | None = None,
        signed_body: type[BaseModel] | None = None,
    ) -> Callable[[PlainHandler[R]], PlainHandler[R]]: ...
    def __call__(
        self,
        path: str,
        *,
        body: type[BaseModel] | None = None,
        response: Response | None = None,
        status: int = 200,
        roles: Collection[Role] | None,
        summary: str = "",
        raises: Collection[type[Exception]] = (),
        signature_header: str | None = None,
        signed_body: type[BaseModel] | None = None,
    ) -> Callable[[Any], Any]:
        return self._api.declare(
            self._method,
            path,
            roles=roles,
            model=body,
            response=response,
            status=status,
            summary=summary,
            signature_header=signature_header,
            signed_body=signed_body,
            raises=raises,
        )


def principal(request: web.Request) -> Principal:
    """The authenticated caller of a protected route."""
    try:
        return request[PRINCIPAL]
    except KeyError:
        raise _unauthorized("this endpoint needs a bearer token") from None


def _endpoint(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def endpoint(request: web.Request) -> web.StreamResponse:
        caller = _authorize(request, route.roles)
        if caller is not None:
            request[PRINCIPAL] = caller
        if route.is_mutating and IDEMPOTENCY_HEADER in request.headers:
            scope = caller.sub if caller is not None else "anonymous"
            return await request.app[IDEMPOTENCY].run(request, scope, lambda: _invoke(route, request))
        with database_deadline(request.app[DATABASE_DEADLINE]):
            return await _invoke(route, request)

    return endpoint


async def _invoke(route: Route, request: web.Request) -> web.StreamResponse:
    if route.input_model is None:
        reply = await route.handler(request)
    else:
        reply = await route.handler(request, await _parse(route.input_model, route.input_from, request))
    if isinstance(reply, web.StreamResponse):
        return reply
    headers: dict[str, str] = {}
    if isinstance(reply, Page) and reply.next_cursor is not None:
        headers["Link"] = next_link(request.rel_url, reply.next_cursor)
    return web.Response(
        status=route.status,
        body=reply.model_dump_json(by_alias=True).encode(),
        content_type="application/json",
        headers=headers,
    )


async def _parse(model: type[BaseModel], source: Literal["body", "query"], request: web.Request) -> BaseModel:
    try:
        if source == "query":
            parsed = model.model_validate(_query_values(model, request))
        else:
            parsed = model.model_validate_json(await request.read())
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise Problem(400, "malformed-json", "The body is not valid JSON.") from None
        raise validation_problem(error) from None
    return parsed


def _query_values(model: type[BaseModel], request: web.Request) -> dict[str, Any]:
    # A repeated parameter (`?status=a&status=b`) fills a list field; others take their single value.
    values: dict[str, Any] = {}
    for name in dict.fromkeys(request.query):
        field = model.model_fields.get(name)
        is_sequence = field is not None and _is_sequence(field.annotation)
        values[name] = request.query.getall(name) if is_sequence else request.query[name]
    return values


def _is_sequence(annotation: Any) -> bool:
    """`list[X]`, or `list[X] | None` for an optional repeated parameter."""
    if get_origin(annotation) in (Union, UnionType):
        return any(_is_sequence(member) for member in get_args(annotation))
    return get_origin(annotation) in (list, tuple, set, frozenset)


def _authorize(request: web.Request, roles: frozenset[Role] | None) -> Principal | None:
    if roles is None:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("this endpoint needs a bearer token")
    try:
        caller = request.get(AUTHENTICATED) or request.app[VERIFIER].verify(token.strip())
    except TokenRejected as error:
        raise _unauthorized(str(error), error="invalid_token") from None
    if caller.role not in roles:
        raise Problem(403, "forbidden", "Forbidden.", f"role {caller.role!r} may not call this endpoint")
    return caller


def _unauthorized(detail: str, error: str | None = None) -> Problem:
    challenge = 'Bearer realm="tradeguard"' + (f', error="{error}"' if error else "")
    return Problem(401, "unauthorized", "Unauthorized.", detail, headers={"WWW-Authenticate": challenge})
