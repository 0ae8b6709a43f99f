"""Read a list the way a client does: page after page by `next_cursor`, checking the `Link` header agrees."""

from __future__ import annotations

from typing import Any

from yarl import URL

from tests.support.services import RunningService


async def read_page(
    service: RunningService, path: str, *, token: str, params: dict[str, str] | None = None
) -> dict[str, Any]:
    """One page; its `Link` header, if any, must point at the same next cursor as the body."""
    response = await service.call("GET", path, token=token, params=params)
    assert response.status == 200, await response.text()
    page: dict[str, Any] = await response.json()
    link = response.headers.get("Link")
    if page["next_cursor"] is None:
        assert link is None, link
    else:
        assert link is not None
        assert link.endswith('rel="next"'), link
        assert URL(str(response.links["next"]["url"])).query["cursor"] == page["next_cursor"]
    return page


async def read_all(
    service: RunningService,
    path: str,
    *,
    token: str,
    params: dict[str, str] | None = None,
    key: str = "id",
) -> list[dict[str, Any]]:
    """Every item of the list in order; an item seen twice fails the test (keyset pages never repeat)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await read_page(
            service, path, token=token, params={**(params or {}), **({"cursor": cursor} if cursor else {})}
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    keys = [item[key] for item in items]
    assert len(keys) == len(set(keys)), f"repeated items: {keys}"
    return items
