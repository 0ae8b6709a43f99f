"""The claim service layer: load order and claim → the domain decides → guarded save + events."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.disputes.domain.claim import Claim
from services.disputes.domain.orders import OrderView
from services.disputes.handlers.desk import Desk, Emit
from shared.errors import Rejected
from shared.messaging.envelope import Event
from shared.mongo import Session

Opening = Callable[[OrderView, list[Claim]], tuple[Claim, Sequence[Event]]]
Decision = Callable[[Claim, OrderView], tuple[Claim, Sequence[Event]]]


class ClaimNotFound(Rejected):
    code = "dispute_not_found"


async def open_claim_in(desk: Desk, session: Session, emit: Emit, order_id: str, opening: Opening) -> Claim:
    """Open a claim on an order; the order lock makes the one-open-claim-per-reason rule race-free."""
    order, _ = await desk.order_view(order_id, session=session)
    await desk.orders.lock(order_id, session=session)
    open_claims = [s.value for s in await desk.claims.of_order(order_id, session=session) if s.value.is_open]
    claim, events = opening(order, open_claims)
    await desk.claims.insert(claim, session=session)
    for event in events:
        await emit(event)
    return claim


async def change_claim_in(
    desk: Desk, session: Session, emit: Emit, claim_id: str, decision: Decision
) -> Claim:
    stored = await desk.claims.get(claim_id, session=session)
    if stored is None:
        raise ClaimNotFound(f"no dispute {claim_id}")
    order, _ = await desk.order_view(stored.value.order_id, session=session)
    claim, events = decision(stored.value, order)
    if not events and claim == stored.value:
        return claim  # a repeat that changes nothing (e.g. a redelivered refund_issued)
    await desk.claims.save(claim, expected_version=stored.version, session=session)
    for event in events:
        await emit(event)
    return claim


async def change_claim(desk: Desk, claim_id: str, decision: Decision) -> Claim:
    """One claim change as its own transaction (the HTTP routes)."""
    return await desk.run(lambda session, emit: change_claim_in(desk, session, emit, claim_id, decision))


async def open_claim(desk: Desk, order_id: str, opening: Opening) -> Claim:
    return await desk.run(lambda session, emit: open_claim_in(desk, session, emit, order_id, opening))
