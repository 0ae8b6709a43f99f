"""Composition root of the disputes service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.after_sales import AfterSalesRepository
from services.disputes.adapters.claims import CLAIM_INDEXES, ClaimRepository
from services.disputes.adapters.conversation import CONVERSATION_INDEXES, ConversationLog
from services.disputes.adapters.orders import ORDER_INDEXES, OrderRepository
from services.disputes.api.after_sales import after_sales_api
from services.disputes.api.conversations import conversations_api
from services.disputes.api.disputes import disputes_api
from services.disputes.api.mediation import mediation_api
from services.disputes.bootstrap import DisputesService, bootstrap
from services.disputes.domain import errors
from services.disputes.handlers.claims import ClaimNotFound
from services.disputes.handlers.desk import OrderNotKnownYet
from services.disputes.handlers.timers import disputes_timers
from services.disputes.settings import DisputesSettings
from shared.clock import Clock
from shared.http.problems import ErrorStatuses
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app
from shared.unit_of_work import MongoUnitOfWork

# Refusals are 409 unless listed: wrong party → 403, bad amounts or deadlines → 422, unknown → 404.
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
    OrderNotKnownYet: 404,
}


def over_mongo(platform: Platform, settings: DisputesSettings) -> DisputesService:
    """The handlers over the service's MongoDB database and outbox."""
    db = platform.db
    return bootstrap(
        uow=MongoUnitOfWork(platform.client, platform.outbox),
        clock=platform.clock,
        orders=OrderRepository(db),
        claims=ClaimRepository(db),
        conversation=ConversationLog(db),
        after_sales=AfterSalesRepository(db),
        policy=settings.policy,
        rules=settings.off_platform_rules,
    )


def build_app(
    settings: DisputesSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or DisputesSettings()
    platform = Platform(settings, clock=clock)
    service = over_mongo(platform, settings)
    desk = service.desk
    parts = ServiceParts(
        apis=[disputes_api(desk), mediation_api(desk), conversations_api(desk), after_sales_api(desk)],
        subscriptions=list(service.subscriptions),
        indexes=[ORDER_INDEXES, CLAIM_INDEXES, CONVERSATION_INDEXES],
        timers=disputes_timers(
            desk,
            client=platform.client,
            db=platform.db,
            clock=platform.clock,
            interval_seconds=settings.timer_interval_seconds,
        ),
        error_statuses=ERROR_STATUSES,
    )
    return build_web_app(platform, parts, verifier=verifier)
