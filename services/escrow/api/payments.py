"""Payment routes: the buyer's payment intent, and the provider's signed webhooks."""

from __future__ import annotations

from aiohttp import web
from pydantic import ValidationError

from services.escrow.adapters.payment_provider import PaymentWebhook
from services.escrow.adapters.sandbox_payments import SIGNATURE_HEADER, WEBHOOK_PATH
from shared.http.problems import validation_problem, webhook_problem
from shared.http.routes import Api, principal
from shared.security.roles import Role
from shared.security.webhooks import WebhookRejected

from .deps import PAYMENTS
from .models import PaymentIntentView, WebhookReceipt

api = Api("payments", requires=(PAYMENTS,))


@api.post("/v1/orders/{order_id}/payments", response=PaymentIntentView, status=201, roles={Role.BUYER})
async def create_payment(request: web.Request) -> PaymentIntentView:
    """Open (or return the open) payment intent for the contract total; the buyer pays the provider."""
    intent = await request.app[PAYMENTS].create_intent(request.match_info["order_id"], principal(request))
    return PaymentIntentView.of(intent)


# Public on purpose: the provider authenticates by HMAC signature and timestamp, not by token.
@api.post(
    WEBHOOK_PATH,
    response=WebhookReceipt,
    roles=None,
    signature_header=SIGNATURE_HEADER,
    signed_body=PaymentWebhook,
)
async def payment_webhook(request: web.Request) -> WebhookReceipt:
    """Provider webhook: applied once per event id; unsigned or stale deliveries change nothing."""
    body = await request.read()
    try:
        outcome = await request.app[PAYMENTS].receive_webhook(body, request.headers.get(SIGNATURE_HEADER))
    except WebhookRejected as error:
        # Missing, garbled, not matching or stale: the same problems every provider webhook answers.
        raise webhook_problem(error) from None
    except ValidationError as error:
        raise validation_problem(error) from None
    return WebhookReceipt(received=True, outcome=outcome.value)
