"""Composition root of the escrow service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.escrow.adapters.journal import JOURNAL_INDEXES, ORDER_ENTRIES, Journal
from services.escrow.adapters.order_payments import OrderPaymentsReader
from services.escrow.adapters.orders import (
    ORDER_LIST,
    OrderNotFound,
    OrderRepository,
)
from services.escrow.adapters.payment_intents import PAYMENT_INDEXES, PaymentIntents
from services.escrow.adapters.payment_provider import (
    PaymentProvider,
    UnconfiguredPaymentProvider,
)
from services.escrow.adapters.quotes import SignedQuotes
from services.escrow.adapters.release_basis import ReleaseBasisReader
from services.escrow.adapters.sandbox_payments import (
    SandboxIntentNotFound,
    SandboxIntentSettled,
    SandboxPaymentProvider,
)
from services.escrow.adapters.timeline_repository import TIMELINE_INDEXES, TimelineRepository
from services.escrow.api import deps
from services.escrow.api.ledger import api as ledger_api
from services.escrow.api.order_list import api as order_list_api
from services.escrow.api.orders import api as orders_api
from services.escrow.api.payments import api as payments_api
from services.escrow.api.sandbox import api as sandbox_payments_api
from services.escrow.api.timeline import api as timeline_api
from services.escrow.bootstrap import bootstrap
from services.escrow.domain.errors import (
    CompensationRefusedError,
    EscrowError,
    InvalidContractTermsError,
    NotOrderBuyerError,
    NotOrderPartyError,
    QuoteNotUsableError,
    RefundRefusedError,
)
from services.escrow.handlers.timeline import own_events
from services.escrow.handlers.timers import escrow_timers
from services.escrow.settings import EscrowSettings
from shared.clock import Clock
from shared.http.outbound import OutboundHttp
from shared.http.problems import ErrorStatuses
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app
from shared.time_zones import DestinationZoneRefused
from shared.unit_of_work import MongoUnitOfWork

ERROR_STATUSES: ErrorStatuses = {
    EscrowError: 409,
    InvalidContractTermsError: 422,
    DestinationZoneRefused: 422,
    QuoteNotUsableError: 422,
    RefundRefusedError: 409,
    CompensationRefusedError: 409,
    NotOrderBuyerError: 403,
    NotOrderPartyError: 403,
    OrderNotFound: 404,
    SandboxIntentNotFound: 404,
    SandboxIntentSettled: 409,
}


def build_app(
    settings: EscrowSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or EscrowSettings()
    platform = Platform(settings, clock=clock)
    policy = settings.policy
    # The sandbox provider posts its webhooks over one kept-alive client, closed with the app.
    outbound = OutboundHttp(settings.sandbox_webhook_timeout_seconds)
    sandbox_provider = SandboxPaymentProvider(
        platform.db,
        platform.clock,
        secret=settings.payment_webhook_secrets[0],
        http=outbound,
        base_url=settings.sandbox_webhook_base_url,
    )
    # The sandbox provider stands in for a real one only in sandbox mode; never in production.
    provider: PaymentProvider = sandbox_provider if settings.sandbox else UnconfiguredPaymentProvider()
    uow = MongoUnitOfWork(platform.client, platform.outbox)
    orders = OrderRepository(platform.db, policy)
    journal = Journal(platform.db)
    # The order timeline lives here, beside the order: it is fed by every service's events, escrow's own
    # as they are emitted.
    timeline = TimelineRepository(platform.db)
    platform.outbox.records_along(own_events(timeline))
    escrow = bootstrap(
        uow=uow,
        orders=orders,
        journal=journal,
        intents=PaymentIntents(platform.db),
        order_payments=OrderPaymentsReader(platform.db, orders),
        release_basis=ReleaseBasisReader(platform.db, orders, journal),
        timeline=timeline,
        provider=provider,
        policy=policy,
        clock=platform.clock,
        webhook_secrets=settings.payment_webhook_secrets,
        webhook_tolerance_seconds=settings.webhook_tolerance_seconds,
    )
    quotes = SignedQuotes.from_file(
        settings.quote_public_keys_file, audience=settings.quote_audience, issuer=settings.quote_issuer
    )
    parts = ServiceParts(
        apis=[order_list_api, orders_api, payments_api, ledger_api, sandbox_payments_api, timeline_api],
        subscriptions=list(escrow.subscriptions),
        indexes=[JOURNAL_INDEXES, PAYMENT_INDEXES, TIMELINE_INDEXES],
        timers=[
            *escrow_timers(
                client=platform.client,
                db=platform.db,
                clock=platform.clock,
                uow=uow,
                release=escrow.release,
                compensation=escrow.compensation,
                interval_seconds=settings.timer_interval_seconds,
            ),
            *(
                [
                    sandbox_provider.redelivery_timer(
                        platform.client, interval_seconds=settings.timer_interval_seconds
                    )
                ]
                if settings.sandbox
                else []
            ),
        ],
        lists=[ORDER_LIST, ORDER_ENTRIES],
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    # What the routes read from the request's app.
    app[deps.SETTINGS] = settings
    app[deps.POLICY] = policy
    app[deps.CLOCK] = platform.clock
    app[deps.QUOTES] = quotes
    app[deps.ORDER_STORE] = orders
    app[deps.ORDER_COMMANDS] = escrow.orders
    app[deps.RELEASE] = escrow.release
    app[deps.COMPENSATION] = escrow.compensation
    app[deps.PAYMENTS] = escrow.payments
    app[deps.BOOKS] = escrow.books
    app[deps.JOURNAL] = journal
    app[deps.TIMELINE] = escrow.timeline
    app[deps.SANDBOX_PROVIDER] = sandbox_provider
    outbound.close_with(app)
    return app
