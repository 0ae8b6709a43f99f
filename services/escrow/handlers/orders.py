"""Order commands: place from a quote, amend the contract, start production, cancel."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from services.escrow.domain import amendments, lifecycle
from services.escrow.domain.contract import ContractTerms
from services.escrow.domain.errors import InvalidContractTermsError
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.quote_terms import QuotedOrder
from services.escrow.domain.terms import Party
from shared.contracts.escrow import BuyerTier
from shared.mongo import Session
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from .access import check_visible, may_cancel, require_party
from .books import Books


class OrderCommands:
    def __init__(self, books: Books) -> None:
        self._books = books

    async def place(self, quoted: QuotedOrder, *, buyer: Principal) -> Order:
        """One order per quote: placing with the same quote again (a retry whose answer was lost) returns
        the order it placed, so a buyer never ends up with two orders and two payments for one quote."""
        books = self._books
        order_id = _order_id(quoted, buyer.sub)
        change = lifecycle.place_order(
            order_id=order_id,
            kind=quoted.kind,
            buyer_id=buyer.sub,
            buyer_tier=buyer_tier(buyer),
            supplier_id=quoted.supplier_id,
            terms=quoted.terms,
            now=books.clock.now(),
        )

        async def work(tx: Transaction) -> Order:
            return check_visible(await books.commit(tx, change, expected_version=None), buyer)

        return await books.uow.run(work)

    async def view(self, order_id: str, who: Principal) -> Order:
        return check_visible((await self._books.orders.get(order_id)).value, who)

    async def propose_amendment(self, order_id: str, who: Principal, changes: Mapping[str, Any]) -> Order:
        async def decide(order: Order, _: Session) -> OrderChange:
            party = require_party(order, who, Party.BUYER, Party.SUPPLIER)
            terms = _amended(order.contract.terms, changes)
            return amendments.propose_amendment(order, party=party, terms=terms, now=self._books.clock.now())

        return await self._books.change(order_id, decide)

    async def accept_amendment(self, order_id: str, who: Principal, version: int) -> Order:
        async def decide(order: Order, _: Session) -> OrderChange:
            party = require_party(order, who, Party.BUYER, Party.SUPPLIER)
            return amendments.accept_amendment(
                order, party=party, version=version, now=self._books.clock.now()
            )

        return await self._books.change(order_id, decide)

    async def decline_amendment(self, order_id: str, who: Principal, version: int) -> Order:
        async def decide(order: Order, _: Session) -> OrderChange:
            require_party(order, who, Party.BUYER, Party.SUPPLIER)
            return amendments.decline_amendment(order, version=version)

        return await self._books.change(order_id, decide)

    async def start_production(self, order_id: str, who: Principal) -> Order:
        async def decide(order: Order, _: Session) -> OrderChange:
            require_party(order, who, Party.SUPPLIER)
            return lifecycle.start_production(order)

        return await self._books.change(order_id, decide)

    async def cancel(self, order_id: str, who: Principal, reason: str) -> Order:
        """Either party (or operations) cancels before shipment; a paid order is refunded in full."""
        books = self._books

        async def decide(order: Order, _: Session) -> OrderChange:
            may_cancel(order, who)
            return lifecycle.cancel_order(order, reason=reason, now=books.clock.now())

        return await books.change(order_id, decide)


def buyer_tier(buyer: Principal) -> BuyerTier:
    """The tier the buyer's token carries (standard when it names none), snapshotted into the order."""
    return BuyerTier(buyer.tier or BuyerTier.STANDARD)


def _amended(current: ContractTerms, changes: Mapping[str, Any]) -> ContractTerms:
    try:
        return ContractTerms.model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        raise InvalidContractTermsError(f"the amended terms are not valid: {error}") from None


def _order_id(quoted: QuotedOrder, buyer_id: str) -> str:
    quote_id = quoted.terms.quote_id
    if quote_id is None:  # a Guaranteed order from a route, not a quote
        return f"ord_{uuid.uuid4().hex}"
    # Catalog issues each quote to one buyer; the buyer is in the key all the same, so that no id clash
    # could ever hand one buyer's order to another.
    return "ord_" + hashlib.sha256(f"{buyer_id}\n{quote_id}".encode()).hexdigest()[:32]
