"""What escrow's routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web

from services.escrow.adapters.journal import Journal
from services.escrow.adapters.orders import OrderRepository
from services.escrow.adapters.quotes import SignedQuotes
from services.escrow.adapters.sandbox_payments import SandboxPaymentProvider
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.handlers.books import Books
from services.escrow.handlers.compensation import Compensation
from services.escrow.handlers.orders import OrderCommands
from services.escrow.handlers.payments import Payments
from services.escrow.handlers.ports import Timeline
from services.escrow.handlers.release import Release
from services.escrow.settings import EscrowSettings
from shared.clock import Clock

SETTINGS = web.AppKey("escrow_settings", EscrowSettings)
POLICY = web.AppKey("escrow_policy", EscrowPolicy)
CLOCK: web.AppKey[Clock] = web.AppKey("escrow_clock")
QUOTES = web.AppKey("signed_quotes", SignedQuotes)
ORDER_STORE = web.AppKey("order_store", OrderRepository)
ORDER_COMMANDS = web.AppKey("order_commands", OrderCommands)
RELEASE = web.AppKey("release", Release)
COMPENSATION = web.AppKey("compensation", Compensation)
PAYMENTS = web.AppKey("payments", Payments)
BOOKS = web.AppKey("books", Books)
JOURNAL = web.AppKey("journal", Journal)
TIMELINE: web.AppKey[Timeline] = web.AppKey("timeline")
SANDBOX_PROVIDER = web.AppKey("sandbox_payment_provider", SandboxPaymentProvider)
