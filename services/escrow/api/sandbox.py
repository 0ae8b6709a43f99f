"""Sandbox controls of the payment provider (routed only when SANDBOX=true): succeed, decline, hold,
duplicate and release webhooks, as a real provider's test mode lets you."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.escrow.adapters.sandbox_payments import WebhookDelivery
from shared.http.routes import Api
from shared.text import PlainText

from .deps import SANDBOX_PROVIDER, SETTINGS
from .models import PaymentIntentView


class SettlePayment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicates: int = Field(default=0, ge=0, le=10, description="Extra deliveries of the same event.")
    hold: bool = Field(
        default=False,
        description="Keep the webhooks back until /release (a delayed delivery); each is signed afresh then.",
    )
    failure_reason: PlainText = Field(default="card_declined", max_length=100)


class Deliveries(BaseModel):
    deliveries: list[WebhookDelivery]


api = Api("sandbox", requires=(SANDBOX_PROVIDER, SETTINGS))


def _origin(request: web.Request) -> str:
    # Webhooks go back to the instance that was driven, unless configured otherwise.
    return request.app[SETTINGS].sandbox_webhook_base_url or str(request.url.origin())


@api.get("/sandbox/payments/{intent_id}", response=PaymentIntentView, roles=None)
async def read_intent(request: web.Request) -> PaymentIntentView:
    """The sandbox provider's view of a payment intent."""
    return PaymentIntentView.of(await request.app[SANDBOX_PROVIDER].intent(request.match_info["intent_id"]))


@api.post("/sandbox/payments/{intent_id}/succeed", body=SettlePayment, response=Deliveries, roles=None)
async def succeed(request: web.Request, body: SettlePayment) -> Deliveries:
    """The buyer's payment is captured; its signed webhook is sent (or held). Again: the first answer."""
    deliveries = await request.app[SANDBOX_PROVIDER].settle(
        request.match_info["intent_id"],
        succeed=True,
        duplicates=body.duplicates,
        hold=body.hold,
        origin=_origin(request),
    )
    return Deliveries(deliveries=deliveries)


@api.post("/sandbox/payments/{intent_id}/decline", body=SettlePayment, response=Deliveries, roles=None)
async def decline(request: web.Request, body: SettlePayment) -> Deliveries:
    """The buyer's payment is declined; the order stays awaiting payment. Again: the first answer."""
    deliveries = await request.app[SANDBOX_PROVIDER].settle(
        request.match_info["intent_id"],
        succeed=False,
        failure_reason=body.failure_reason,
        duplicates=body.duplicates,
        hold=body.hold,
        origin=_origin(request),
    )
    return Deliveries(deliveries=deliveries)


@api.post("/sandbox/payments/webhooks/release", response=Deliveries, roles=None)
async def release_held(request: web.Request) -> Deliveries:
    """Deliver every held webhook now, signed with the current time."""
    return Deliveries(deliveries=await request.app[SANDBOX_PROVIDER].release_held(origin=_origin(request)))
