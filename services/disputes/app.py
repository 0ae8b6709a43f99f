"""Composition root of the disputes service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.claims import CLAIM_INDEXES
from services.disputes.adapters.conversation import CONVERSATION_INDEXES
from services.disputes.adapters.documents import StaleWriteError
from services.disputes.adapters.orders import ORDER_INDEXES
from services.disputes.api.after_sales import api as after_sales_api
from services.disputes.api.conversations import api as conversations_api
from services.disputes.api.deps import DESK
from services.disputes.api.disputes import api as disputes_api
from services.disputes.api.mediation import api as mediation_api
from services.disputes.domain import errors
from services.disputes.handlers.claims import ClaimNotFound
from services.disputes.handlers.desk import Desk, OrderNotKnownYet
from services.disputes.handlers.escrow_events import escrow_events
from services.disputes.handlers.logistics_events import logistics_events
from services.disputes.handlers.timers import after_sales_sla_timer, claim_deadline_timer
from services.disputes.settings import DisputesSettings
from shared.clock import Clock
from shared.http.problems import ErrorStatuses
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app

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
    StaleWriteError: 409,
}


def build_app(
    settings: DisputesSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or DisputesSettings()
    platform = Platform(settings, clock=clock)
    desk = Desk.build(platform, platform.db, settings.policy, settings.off_platform_rules)
    interval = settings.timer_interval_seconds
    parts = ServiceParts(
        apis=[disputes_api, mediation_api, conversations_api, after_sales_api],
        subscriptions=[escrow_events(desk), logistics_events(desk)],
        indexes=[ORDER_INDEXES, CLAIM_INDEXES, CONVERSATION_INDEXES],
        timers=[
            claim_deadline_timer(desk, interval_seconds=interval),
            after_sales_sla_timer(desk, interval_seconds=interval),
        ],
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    app[DESK] = desk  # what the routes read from the request's app
    return app
