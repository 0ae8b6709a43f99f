"""Logistics' facts: tracking history for case files, delivery windows, platform cases, returns received."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.claim_opening import open_platform_case
from services.disputes.domain.errors import DisputeError
from services.disputes.domain.orders import Deadline, record_deadline_missed
from services.disputes.domain.settlement import record_return_received
from shared.contracts.disputes import ClaimReason
from shared.contracts.logistics import (
    DeliveryDeadlineMissed,
    DispatchDeadlineMissed,
    InspectionCompleted,
    ReturnLabelIssued,
    ReturnReceived,
    ShipmentCreated,
    ShipmentDamaged,
    ShipmentDelivered,
    ShipmentDispatched,
    ShipmentEvent,
    ShipmentLost,
)
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Document
from shared.unit_of_work import Transaction

from .claims import Casework

log = structlog.get_logger(__name__)
E = TypeVar("E", bound=ShipmentEvent)
Handler = Callable[[MessageContext, E], Awaitable[None]]


def logistics_events(work: Casework) -> Subscription:
    def entry(context: MessageContext, event: ShipmentEvent) -> Document:
        """Every logistics fact joins the order's tracking history, in the producer's words."""
        return {
            "type": event.TYPE,
            "occurred_at": context.envelope.occurred_at,
            "details": event.model_dump(mode="json"),
        }

    async def track(context: MessageContext, event: ShipmentEvent) -> None:
        await work.orders.append_tracking(event.order_id, entry(context, event), session=context.session)

    async def open_case(
        context: MessageContext, event: ShipmentEvent, reason: ClaimReason, description: str
    ) -> None:
        """The platform opens a case from an established fact; one already open for the reason suffices."""
        # Derived from the message id, so a retried delivery would open the same claim, not a second one.
        claim_id = f"clm_{uuid.uuid5(uuid.NAMESPACE_URL, str(context.envelope.message_id)).hex}"
        try:
            await work.open_in(
                Transaction.of_message(context),
                event.order_id,
                lambda order, open_claims: open_platform_case(
                    order,
                    claim_id=claim_id,
                    reason=reason,
                    source=event.TYPE,
                    description=description,
                    open_claims=open_claims,
                    now=work.now(),
                    policy=work.policy,
                ),
            )
        except DisputeError as refusal:  # duplicate open case, cancelled order, nothing left to refund
            log.info("platform_case_not_opened", order_id=event.order_id, reason=refusal.code)

    def tracked(handler: Handler[E]) -> Handler[E]:
        async def handle(context: MessageContext, event: E) -> None:
            await track(context, event)
            await handler(context, event)

        return handle

    async def nothing_more(context: MessageContext, event: ShipmentEvent) -> None:
        return None

    async def on_dispatched(context: MessageContext, event: ShipmentDispatched) -> None:
        await work.note_first(
            Transaction.of_message(context),
            event.order_id,
            "dispatched_at",
            event.dispatched_at,
            tracking=entry(context, event),  # one write with the view's
        )

    async def on_delivered(context: MessageContext, event: ShipmentDelivered) -> None:
        await work.note_first(
            Transaction.of_message(context),
            event.order_id,
            "delivered_at",
            event.delivered_at,
            tracking=entry(context, event),  # one write with the view's
        )

    async def on_dispatch_missed(context: MessageContext, event: DispatchDeadlineMissed) -> None:
        await work.change_view(
            Transaction.of_message(context),
            event.order_id,
            lambda v: record_deadline_missed(v, Deadline.DISPATCH),
            tracking=entry(context, event),  # one write with the view's
        )

    async def on_delivery_missed(context: MessageContext, event: DeliveryDeadlineMissed) -> None:
        await work.change_view(
            Transaction.of_message(context),
            event.order_id,
            lambda v: record_deadline_missed(v, Deadline.DELIVERY),
            tracking=entry(context, event),  # one write with the view's
        )

    async def on_lost(context: MessageContext, event: ShipmentLost) -> None:
        description = f"{event.carrier} reported shipment {event.tracking_number} lost"
        await open_case(context, event, ClaimReason.NOT_RECEIVED, description)

    async def on_damaged(context: MessageContext, event: ShipmentDamaged) -> None:
        description = f"{event.carrier} reported shipment {event.tracking_number} damaged"
        await open_case(context, event, ClaimReason.DAMAGED, description)

    async def on_inspected(context: MessageContext, event: InspectionCompleted) -> None:
        report = event.model_dump(mode="json")
        await work.orders.append_inspection(event.order_id, report, session=context.session)
        if not event.passed:
            failed = ", ".join(r.criterion.name for r in event.results if not r.passed)
            description = f"{event.agency.value} inspection {event.report_ref} failed: {failed}"
            await open_case(context, event, ClaimReason.QUALITY_NOT_AS_AGREED, description)

    async def on_return_received(context: MessageContext, event: ReturnReceived) -> None:
        # The saga's next step: each claim waiting for these goods now asks escrow for its refund.
        for stored in await work.claims.in_status(
            event.order_id, ClaimStatus.AWAITING_RETURN, session=context.session
        ):
            await work.change_in(
                Transaction.of_message(context),
                stored.value.claim_id,
                lambda claim, _: record_return_received(claim, event.received_at),
            )

    return (
        Subscription("logistics-events")
        .on(ShipmentCreated, tracked(nothing_more))
        .on(ShipmentDispatched, on_dispatched)  # tracked with its change of the view
        .on(ShipmentDelivered, on_delivered)  # tracked with its change of the view
        .on(DispatchDeadlineMissed, on_dispatch_missed)  # tracked with its change of the view
        .on(DeliveryDeadlineMissed, on_delivery_missed)  # tracked with its change of the view
        .on(ShipmentLost, tracked(on_lost))
        .on(ShipmentDamaged, tracked(on_damaged))
        .on(InspectionCompleted, on_inspected)
        .on(ReturnLabelIssued, tracked(nothing_more))
        .on(ReturnReceived, tracked(on_return_received))
    )
