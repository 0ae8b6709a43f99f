"""The `Link: rel="next"` header repeats the request with the next cursor in place of the last one."""

from __future__ import annotations

from yarl import URL

from shared.http.pages import next_link


def test_the_next_link_keeps_the_requests_path_and_filters_and_replaces_its_cursor() -> None:
    # given the request's own (relative) URL, as aiohttp gives it
    requested = URL("/v1/quotes?sort=expiring&limit=3&cursor=old")
    # then the link is relative, keeps the filters and carries the new cursor
    assert next_link(requested, "new") == '</v1/quotes?sort=expiring&limit=3&cursor=new>; rel="next"'
