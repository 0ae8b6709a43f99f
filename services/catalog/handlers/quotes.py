"""Issuing a price lock-in quote: price the quantity, add Guaranteed shipping, attach red flags, sign."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.catalog.adapters.exchange_rates import ExchangeRates
from services.catalog.domain.errors import UnknownProductError
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.pricing import resolve_tier
from services.catalog.domain.product import Product
from services.catalog.domain.quote import QuoteRequest, issue_quote, issue_sample_quote
from services.catalog.domain.shipping import LandedShipping, landed_shipping
from services.catalog.domain.supplier import Supplier
from services.catalog.handlers.ports import IssuedQuotes, QuoteBases, QuoteSigner, Routes
from services.catalog.handlers.risk import RiskAssessor
from shared.clock import Clock
from shared.contracts.catalog import Quote
from shared.unit_of_work import Transaction, UnitOfWork


@dataclass(frozen=True)
class SignedQuote:
    quote: Quote
    token: str


class QuoteCommands:
    def __init__(
        self,
        uow: UnitOfWork,
        bases: QuoteBases,
        routes: Routes,
        quotes: IssuedQuotes,
        signer: QuoteSigner,
        rates: ExchangeRates,
        risk: RiskAssessor,
        policy: QuotePolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._bases = bases
        self._routes = routes
        self._quotes = quotes
        self._signer = signer
        self._rates = rates
        self._risk = risk
        self._policy = policy
        self._clock = clock

    async def issue(self, buyer_id: str, request: QuoteRequest) -> SignedQuote:
        basis = await self._bases.of_product(request.product_id)
        if basis is None:
            raise UnknownProductError(f"product {request.product_id} not found")
        product, supplier, metrics = basis.record.product, basis.supplier, basis.metrics
        now, quote_id = self._clock.now(), f"quote_{uuid.uuid4().hex}"
        origin = supplier.profile.country
        rate = await self._rates.usd_rate(product.currency)
        if request.kind == "sample":
            signals = await self._risk.of_supplier(supplier, now, metrics=metrics)
            quote = issue_sample_quote(
                quote_id, product, buyer_id, request, signals, self._policy, now, rate, origin
            )
        else:
            unit_price = resolve_tier(product, request.quantity).unit_price  # MOQ and multiple first
            shipping = await self._shipping(product, supplier, request)
            signals = await self._risk.of_listing(
                product, supplier, unit_price, request.quantity, now, metrics=metrics
            )
            quote = issue_quote(
                quote_id, product, buyer_id, request, shipping, signals, self._policy, now, rate, origin
            )
        signed = SignedQuote(quote=quote, token=self._signer.sign(quote))

        async def work(tx: Transaction) -> SignedQuote:
            await self._quotes.add(signed.quote, signed.token, session=tx.session)
            return signed

        return await self._uow.run(work)

    async def _shipping(
        self, product: Product, supplier: Supplier, request: QuoteRequest
    ) -> LandedShipping | None:
        if product.guaranteed is None:
            return None
        lane = await self._routes.lane(supplier.profile.country, request.destination)
        return landed_shipping(lane, product.currency, request.quantity, product.unit_weight_grams)
