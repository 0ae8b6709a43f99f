"""The sandbox inspection agency: posts signed inspection results, as SGS or Intertek would."""

from __future__ import annotations

from shared.contracts.logistics import InspectionAgency

from .provider_messages import InspectionResultReport
from .signed_webhooks import SignedWebhookSender


class SandboxAgency:
    def __init__(self, sender: SignedWebhookSender) -> None:
        self._sender = sender

    async def post_result(
        self, base_url: str, agency: InspectionAgency, report: InspectionResultReport, *, times: int = 1
    ) -> list[int]:
        url = f"{base_url}/v1/inspection-agencies/{agency.value}/webhooks"
        return await self._sender.post(url, report, times=times)
