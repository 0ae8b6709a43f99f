"""The list convention of every service's HTTP API: `cursor` and `limit` in, `items` and `next_cursor` out.

A list route takes a query model derived from `PageQuery` (its filters and `sort` beside `cursor` and
`limit`) and answers a model derived from `Page[Item]`; the route table adds the RFC 8288
`Link: <...>; rel="next"` header and documents it. Who sees what comes from the token: `party_scope`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from yarl import URL

from shared.http.problems import Problem
from shared.paging import Slice
from shared.security.jwt import Principal
from shared.security.roles import Role
from shared.text import PlainText

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Cursors are a few hundred bytes; anything much longer was not issued by us.
MAX_CURSOR_LENGTH = 2_000

T = TypeVar("T")
Item = TypeVar("Item", bound=BaseModel)


class PageQuery(BaseModel):
    """`cursor` and `limit`: a list's query model derives from this and adds its filters and `sort`."""

    model_config = ConfigDict(extra="forbid")

    cursor: PlainText | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        description="`next_cursor` of the previous page, with the same filters; omit for the first page.",
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


class Page(BaseModel, Generic[Item]):
    """One page of a list. `next_cursor` is null on the last page; the `Link` header carries it too."""

    items: list[Item]
    next_cursor: str | None = Field(description="Pass as `cursor` to read the next page; null on the last.")

    @classmethod
    def of(cls, found: Slice[T], view: Callable[[T], Item]) -> Self:
        return cls(items=[view(item) for item in found.items], next_cursor=found.next_cursor)


def next_link(url: URL, cursor: str) -> str:
    """The `Link` header pointing at the next page: the same (relative) request with `cursor` replaced."""
    return f'<{url.update_query(cursor=cursor)}>; rel="next"'


def party_scope(
    caller: Principal, fields: Mapping[str, str], *, desk: Collection[Role] = ()
) -> dict[str, str]:
    """The filter that keeps a list to the caller's own items (`{"buyer_id": sub}`); a `desk` role sees all.

    `fields` names, per party role, the field that holds the party's id; any other role is refused, so a
    role added to a route but not here cannot see everything by accident.
    """
    if caller.role in desk:
        return {}
    field = fields.get(caller.role)
    if field is None:
        raise Problem(403, "forbidden", "Forbidden.", f"role {caller.role!r} has no own items in this list")
    return {field: caller.sub}
