"""The payment-provider port: escrow asks for payment intents; the provider reports by signed webhook.

Card data never reaches escrow (PCI scope stays with the provider): the buyer pays the provider using the
intent's client secret, and escrow learns the outcome only from the provider's webhook.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from shared.errors import Transient
from shared.money import Money

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"


class IntentStatus(StrEnum):
    REQUIRES_PAYMENT = "requires_payment"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PaymentIntent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intent_id: str
    order_id: str
    amount: Money
    status: IntentStatus
    client_secret: str


class WebhookIntent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intent_id: str
    order_id: str
    amount: Money
    failure_reason: str | None = None


class PaymentWebhook(BaseModel):
    """The provider's event, as signed in its webhook body; `event_id` is the same on every redelivery."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    type: Literal["payment_intent.succeeded", "payment_intent.payment_failed"]
    created: int
    data: WebhookIntent


class PaymentProviderUnavailable(Transient):
    """The provider cannot be reached or is not configured; the buyer may try again later."""

    code = "payment_provider_unavailable"


class PaymentProvider(Protocol):
    async def create_intent(self, *, order_id: str, amount: Money, idempotency_key: str) -> PaymentIntent:
        """The same idempotency key returns the same intent, as real providers do."""
        ...


class UnconfiguredPaymentProvider:
    """Outside sandbox mode until a real provider adapter is configured: refuses instead of faking money."""

    async def create_intent(self, *, order_id: str, amount: Money, idempotency_key: str) -> PaymentIntent:
        raise PaymentProviderUnavailable(
            "no payment provider is configured (set ESCROW_SANDBOX=true to use the sandbox)"
        )
