"""How sandbox providers deliver: a signed POST, exactly as a real provider's webhook arrives."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import Clock
from shared.http.outbound import OutboundHttp
from shared.security.webhooks import sign

from .provider_messages import WEBHOOK_SIGNATURE_HEADER


class SignedWebhookSender:
    def __init__(self, secret: str, clock: Clock, http: OutboundHttp) -> None:
        self._secret = secret
        self._clock = clock
        self._http = http

    async def post(self, url: str, message: BaseModel, *, times: int = 1) -> list[int]:
        """Deliver `times` times (providers repeat deliveries); returns each response status."""
        body = message.model_dump_json().encode()
        statuses: list[int] = []
        http = self._http.session()
        for _ in range(times):
            signature = sign(self._secret, body, int(self._clock.now().timestamp()))
            headers = {WEBHOOK_SIGNATURE_HEADER: signature, "Content-Type": "application/json"}
            async with http.post(url, data=body, headers=headers) as response:
                statuses.append(response.status)
        return statuses
