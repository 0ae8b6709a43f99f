"""The carrier port (return labels; tracking arrives by signed webhook) and its sandbox adapter."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote

from ..domain.errors import CarrierUnavailableError
from ..domain.returns import ReturnLabel
from .provider_messages import CarrierTrackingUpdate
from .signed_webhooks import SignedWebhookSender

SANDBOX_CARRIER = "sandbox-carrier"


class Carrier(Protocol):
    async def buy_return_label(self, *, return_id: str, warehouse_id: str) -> ReturnLabel:
        """A prepaid label from the buyer to `warehouse_id`; buying twice for one return gives one label."""
        ...


class SandboxCarrier:
    """Behaves like a carrier: sells labels and posts signed tracking webhooks to the service."""

    def __init__(self, sender: SignedWebhookSender) -> None:
        self._sender = sender

    async def buy_return_label(self, *, return_id: str, warehouse_id: str) -> ReturnLabel:
        return ReturnLabel(
            carrier=SANDBOX_CARRIER, tracking_number=f"RTN-{return_id}", warehouse_id=warehouse_id
        )

    async def post_tracking(
        self, base_url: str, carrier: str, update: CarrierTrackingUpdate, *, times: int = 1
    ) -> list[int]:
        url = f"{base_url}/v1/carriers/{quote(carrier, safe='')}/webhooks"
        return await self._sender.post(url, update, times=times)


class NoCarrierConfigured:
    """Outside sandbox mode until a real carrier integration exists: label purchases are refused."""

    async def buy_return_label(self, *, return_id: str, warehouse_id: str) -> ReturnLabel:
        raise CarrierUnavailableError("no carrier integration is configured for return labels")
