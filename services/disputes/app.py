"""Composition root of the disputes service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.after_sales import AFTER_SALES_LIST, AfterSalesRepository
from services.disputes.adapters.claims import CLAIM_INDEXES, CLAIM_LIST, MEDIATION_QUEUE, ClaimRepository
from services.disputes.adapters.conversation import CONVERSATION_INDEXES, ConversationLog
from services.disputes.adapters.orders import ORDER_INDEXES, OrderRepository
from services.disputes.api import deps
from services.disputes.api.after_sales import api as after_sales_api
from services.disputes.api.conversations import api as conversations_api
from services.disputes.api.disputes import api as disputes_api
from services.disputes.api.mediation import api as mediation_api
from services.disputes.bootstrap import Disputes, bootstrap
from services.disputes.domain import errors
from services.disputes.handlers.after_sales import AfterSalesRequestNotFound
from services.disputes.handlers.claims import ClaimNotFound, OrderNotFound, OrderNotKnownYet
from services.disputes.handlers.timers import disputes_timers
from services.disputes.settings import DisputesSettings
from shared.clock import Clock
from shared.http.problems import ErrorStatuses
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app
from shared.timers import DueTimer
from shared.unit_of_work import MongoUnitOfWork

# Refusals are 409 unless listed: wrong party → 403, bad amounts or deadlines → 422, unknown → 404; an
# order not heard of yet is a 409 with Retry-After (its events may still be on their way).
ERROR_STATUSES: ErrorStatuses = {
    errors.DisputeError: 409,
    errors.NotOrderBuyerError: 403,
    errors.NotOrderSupplierError: 403,
    errors.NotAssignedMediatorError: 403,
    errors.InvalidAmountError: 422,
    errors.RefundExceedsRefundableError: 422,
    errors.InvalidDecisionError: 422,
    errors.InvalidDeadlineError: 422,
    errors.EvidenceRequestNotFoundError: 404,
    ClaimNotFound: 404,
    OrderNotFound: 404,
    AfterSalesRequestNotFound: 404,
    OrderNotKnownYet: 409,
}


def over_mongo(platform: Platform, settings: DisputesSettings) -> tuple[Disputes, list[DueTimer]]:
    """The handlers over the service's MongoDB database and outbox, and the timers that fire them."""
    db = platform.db
    uow = MongoUnitOfWork(platform.client, platform.outbox)
    disputes = bootstrap(
        uow=uow,
        clock=platform.clock,
        orders=OrderRepository(db),
        claims=ClaimRepository(db),
        conversation=ConversationLog(db),
        after_sales=AfterSalesRepository(db),
        policy=settings.policy,
        rules=settings.off_platform_rules,
    )
    timers = disputes_timers(
        client=platform.client,
        db=db,
        clock=platform.clock,
        uow=uow,
        negotiation=disputes.negotiation,
        after_sales=disputes.after_sales,
        interval_seconds=settings.timer_interval_seconds,
    )
    return disputes, timers


def build_app(
    settings: DisputesSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or DisputesSettings()
    platform = Platform(settings, clock=clock)
    disputes, timers = over_mongo(platform, settings)
    parts = ServiceParts(
        apis=[disputes_api, mediation_api, conversations_api, after_sales_api],
        subscriptions=list(disputes.subscriptions),
        indexes=[ORDER_INDEXES, CLAIM_INDEXES, CONVERSATION_INDEXES],
        lists=[CLAIM_LIST, MEDIATION_QUEUE, AFTER_SALES_LIST],
        timers=timers,
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    # What the routes read from the request's app.
    app[deps.CASEWORK] = disputes.casework
    app[deps.NEGOTIATION] = disputes.negotiation
    app[deps.MEDIATION] = disputes.mediation
    app[deps.CONVERSATIONS] = disputes.conversations
    app[deps.AFTER_SALES] = disputes.after_sales
    app[deps.CLAIM_PAGES] = ClaimRepository(platform.db)
    app[deps.AFTER_SALES_PAGES] = AfterSalesRepository(platform.db)
    return app
