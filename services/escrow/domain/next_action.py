"""What an order waits for, and from whom: the `next_action` of every order in a list.

Each date comes from the rule that acts on it: the dispatch deadline and the late-delivery instant from
the delivery promise fixed at funding, the auto-confirm time from `auto_confirm_due_at` (the timer's own
due date). An order with nothing pending has no next action.
"""

from __future__ import annotations

from shared.contracts.escrow import OrderStatus
from shared.next_action import Actor, NextAction

from .order import Order
from .policy import EscrowPolicy
from .release import auto_confirm_due_at
from .terms import Party


def order_next_action(order: Order, policy: EscrowPolicy) -> NextAction | None:
    if order.pending_amendment is not None:
        # Terms proposed by one party bind only once the other accepts; nothing else moves until then.
        answering = Actor.SUPPLIER if order.pending_amendment.proposed_by is Party.BUYER else Actor.BUYER
        return NextAction(actor=answering, action="answer_amendment")
    match order.status:
        case OrderStatus.AWAITING_PAYMENT:
            return NextAction(actor=Actor.BUYER, action="pay")
        case OrderStatus.FUNDED | OrderStatus.IN_PRODUCTION if order.promise is not None:
            return NextAction(actor=Actor.SUPPLIER, action="dispatch", due_at=order.promise.dispatch_deadline)
        case OrderStatus.SHIPPED if order.promise is not None:
            return NextAction(actor=Actor.SUPPLIER, action="deliver", due_at=order.promise.delivery_late_from)
        case OrderStatus.DELIVERED | OrderStatus.PARTIALLY_REFUNDED:
            due_at = auto_confirm_due_at(order, policy)
            if due_at is None:
                return None
            return NextAction(actor=Actor.BUYER, action="confirm_receipt", due_at=due_at)
        case OrderStatus.FROZEN:
            # The claim's own list (disputes) says whose move it is; the order only waits for its end.
            return NextAction(actor=Actor.PLATFORM, action="resolve_claim")
        case _:
            return None
