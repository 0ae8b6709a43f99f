"""Payments: intents through the provider port, and the provider's signed webhooks funding orders."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import structlog

from services.escrow.adapters.payment_provider import (
    SUCCEEDED,
    IntentStatus,
    PaymentIntent,
    PaymentProvider,
    PaymentWebhook,
)
from services.escrow.domain import lifecycle
from services.escrow.domain.errors import TransitionNotAllowedError
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.terms import Party
from shared.contracts.escrow import OrderStatus
from shared.mongo import Session
from shared.security import webhooks
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from .access import require_party
from .books import Books
from .ports import OrderPayments, PaymentIntentLog

log = structlog.get_logger("services.escrow")


class WebhookOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    UNKNOWN_INTENT = "unknown_intent"


class Payments:
    def __init__(
        self,
        books: Books,
        intents: PaymentIntentLog,
        order_payments: OrderPayments,
        provider: PaymentProvider,
        *,
        webhook_secrets: Sequence[str],
        tolerance_seconds: int,
    ) -> None:
        self._books = books
        self._intents = intents
        self._order_payments = order_payments
        self._provider = provider
        self._secrets = list(webhook_secrets)
        self._tolerance = tolerance_seconds

    async def create_intent(self, order_id: str, who: Principal) -> PaymentIntent:
        """The buyer's payment intent for the contract total; asking again returns the open one, and asking
        after the payment went through returns the intent that paid (the buyer's retry of a lost answer)."""
        order, intents = await self._order_payments.of_order(order_id)
        require_party(order, who, Party.BUYER)
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            paid_by = [intent for intent in intents if intent.intent_id == order.payment_id]
            if paid_by:
                return paid_by[0]
            raise TransitionNotAllowedError(f"order {order_id} is {order.status.value}, not awaiting payment")
        total = order.contract.terms.total
        failed = sum(intent.status is IntentStatus.FAILED for intent in intents)
        # One key per (contract version, attempt): concurrent requests share an intent, a decline or an
        # agreed amendment of the total gets a new one.
        key = f"{order_id}:v{order.contract.version}:attempt-{failed + 1}"
        intent = await self._provider.create_intent(order_id=order_id, amount=total, idempotency_key=key)

        async def remember(tx: Transaction) -> None:
            await self._intents.remember(intent, session=tx.session)

        await self._books.uow.run(remember)
        return intent

    async def receive_webhook(self, body: bytes, signature: str | None) -> WebhookOutcome:
        """Verify, then apply once: unsigned or stale deliveries raise before anything is read or written."""
        webhooks.verify(self._secrets, signature, body, self._books.clock.now(), self._tolerance)
        event = PaymentWebhook.model_validate_json(body)
        books = self._books

        async def work(tx: Transaction) -> WebhookOutcome:
            session = tx.session
            succeeded = event.type == SUCCEEDED
            settled = await self._intents.settle(
                event.event_id,
                event.data.intent_id,
                event.data.order_id,
                IntentStatus.SUCCEEDED if succeeded else IntentStatus.FAILED,
                None if succeeded else event.data.failure_reason,
                received_at=books.clock.now(),
                session=session,
            )
            if settled.repeated:
                return WebhookOutcome.DUPLICATE
            intent = settled.intent
            if intent is None:
                log.warning("payment_webhook_unknown_intent", intent_id=event.data.intent_id)
                return WebhookOutcome.UNKNOWN_INTENT
            if not succeeded:
                log.info("payment_declined", order_id=intent.order_id, reason=event.data.failure_reason)
                return WebhookOutcome.APPLIED

            async def fund(order: Order, _: Session) -> OrderChange:
                return lifecycle.fund_order(
                    order,
                    payment_id=intent.intent_id,
                    amount=event.data.amount,
                    now=books.clock.now(),
                )

            await books.apply(tx, intent.order_id, fund)
            return WebhookOutcome.APPLIED

        return await books.uow.run(work, correlation_id=f"payment:{event.event_id}")
