"""Raw HTTP answers from the running stack: status, content type and body, whatever the status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deploy.local.client import PlatformClient

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: Any

    @property
    def problem_type(self) -> str:
        return str(self.body.get("type", "")) if isinstance(self.body, dict) else ""

    def is_problem(self, status: int) -> bool:
        """A clear RFC 9457 refusal with this status."""
        return self.status == status and self.content_type == PROBLEM_JSON


async def send(
    client: PlatformClient,
    service: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json: Any = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> Answer:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    async with client.session.request(
        method, f"{client.urls[service]}{path}", json=json, data=data, headers=sent, params=params
    ) as response:
        body = await response.json(content_type=None) if response.content_length != 0 else None
        return Answer(response.status, response.content_type, body)
