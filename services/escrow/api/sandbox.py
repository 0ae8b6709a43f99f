"""Sandbox controls of the payment provider (routed only when SANDBOX=true): succeed, decline, hold,
duplicate and release webhooks, as a real provider's test mode lets you."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.escrow.adapters.payment_provider import PaymentIntent
from services.escrow.adapters.sandbox_payments import SandboxPaymentProvider, WebhookDelivery
from shared.http.routes import Api


class SettlePayment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicates: int = Field(default=0, ge=0, le=10, description="Extra deliveries of the same event.")
    hold: bool = Field(
        default=False, description="Keep the webhooks back until /release (a delayed delivery)."
    )
    failure_reason: str = Field(default="card_declined", max_length=100)


class Deliveries(BaseModel):
    deliveries: list[WebhookDelivery]


def sandbox_payments_api(provider: SandboxPaymentProvider, *, base_url: str | None) -> Api:
    api = Api("sandbox")

    def origin(request: web.Request) -> str:
        # Webhooks go back to the instance that was driven, unless configured otherwise.
        return base_url or str(request.url.origin())

    @api.get("/sandbox/payments/{intent_id}", response=PaymentIntent, roles=None)
    async def read_intent(request: web.Request) -> PaymentIntent:
        """The sandbox provider's view of a payment intent."""
        return await provider.intent(request.match_info["intent_id"])

    @api.post("/sandbox/payments/{intent_id}/succeed", body=SettlePayment, response=Deliveries, roles=None)
    async def succeed(request: web.Request, body: SettlePayment) -> Deliveries:
        """The buyer's payment is captured; its signed webhook is sent (or held)."""
        deliveries = await provider.settle(
            request.match_info["intent_id"],
            succeed=True,
            duplicates=body.duplicates,
            hold=body.hold,
            origin=origin(request),
        )
        return Deliveries(deliveries=deliveries)

    @api.post("/sandbox/payments/{intent_id}/decline", body=SettlePayment, response=Deliveries, roles=None)
    async def decline(request: web.Request, body: SettlePayment) -> Deliveries:
        """The buyer's payment is declined; the order stays awaiting payment."""
        deliveries = await provider.settle(
            request.match_info["intent_id"],
            succeed=False,
            failure_reason=body.failure_reason,
            duplicates=body.duplicates,
            hold=body.hold,
            origin=origin(request),
        )
        return Deliveries(deliveries=deliveries)

    @api.post("/sandbox/payments/webhooks/release", response=Deliveries, roles=None)
    async def release_held(request: web.Request) -> Deliveries:
        """Deliver every held webhook now, signed with the current time."""
        return Deliveries(deliveries=await provider.release_held(origin=origin(request)))

    return api
