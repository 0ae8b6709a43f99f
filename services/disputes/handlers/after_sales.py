"""After-sales requests: the buyer asks for a service its product was sold with, the supplier fulfils it
within the SLA, and a request left unfulfilled past it becomes a claim."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.disputes.domain.after_sales import (
    AfterSalesRequest,
    convert_overdue_request,
    fulfil_after_sales,
    request_after_sales,
)
from shared.contracts.catalog import AfterSalesLabel
from shared.errors import Rejected
from shared.security.jwt import Principal
from shared.store import value_of
from shared.unit_of_work import Transaction

from .claims import Casework
from .ports import AfterSales


class AfterSalesRequestNotFound(Rejected):
    """No after-sales request the caller may see has this id."""

    code = "after_sales_request_not_found"


class AfterSalesRequests:
    def __init__(self, casework: Casework, requests: AfterSales) -> None:
        self._casework = casework
        self._requests = requests

    async def get(self, request_id: str) -> AfterSalesRequest | None:
        stored = await self._requests.get(request_id)
        return value_of(stored)

    async def request(
        self, order_id: str, who: Principal, *, label: AfterSalesLabel, description: str
    ) -> AfterSalesRequest:
        work = self._casework

        async def change(tx: Transaction) -> AfterSalesRequest:
            order, _ = await work.order_view(order_id, session=tx.session)
            created, events = request_after_sales(
                order,
                request_id=f"asr_{uuid.uuid4().hex}",
                buyer_id=who.sub,
                label=label,
                description=description,
                now=work.now(),
                policy=work.policy,
            )
            await self._requests.insert(created, session=tx.session)
            await tx.emit_all(events)
            return created

        return await work.uow.run(change)

    async def fulfil(self, request_id: str, who: Principal) -> AfterSalesRequest:
        work = self._casework

        async def change(tx: Transaction) -> AfterSalesRequest:
            stored = await self._requests.get(request_id, session=tx.session)
            assert stored is not None  # requests are never deleted
            fulfilled, events = fulfil_after_sales(stored.value, supplier_id=who.sub, now=work.now())
            await self._requests.save(fulfilled, expected_version=stored.version, session=tx.session)
            await tx.emit_all(events)
            return fulfilled

        return await work.uow.run(change)

    async def overdue(self, tx: Transaction, request_id: str, now: datetime) -> None:
        """Timer fire: a request the supplier left unfulfilled past its SLA becomes a claim."""
        work = self._casework
        stored = await self._requests.get(request_id, session=tx.session)
        if stored is None:
            raise LookupError(f"no after-sales request {request_id}")
        order_id = stored.value.order_id
        order, _ = await work.order_view(order_id, session=tx.session)
        await work.orders.lock(order_id, session=tx.session)
        open_claims = [
            s.value for s in await work.claims.of_order(order_id, session=tx.session) if s.value.is_open
        ]
        request, claim, events = convert_overdue_request(
            stored.value,
            order,
            claim_id=f"clm_{uuid.uuid5(uuid.NAMESPACE_URL, request_id).hex}",
            open_claims=open_claims,
            now=now,
            policy=work.policy,
        )
        await self._requests.save(request, expected_version=stored.version, session=tx.session)
        if claim is not None:
            await work.claims.insert(claim, session=tx.session)
        await tx.emit_all(events)
