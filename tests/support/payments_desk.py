"""A toy idempotent endpoint on the platform's HTTP layer: one `payments` document per call, countable,
holdable mid-flight and made to fail at chosen points (the idempotency tests and their crash victim)."""

from __future__ import annotations

import asyncio
import uuid

from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel, ConfigDict, Field
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import Clock
from shared.errors import Rejected
from shared.http.app import create_app
from shared.http.routes import Api, principal
from shared.metrics import PlatformMetrics
from shared.mongo import Document, Session, run_in_transaction
from shared.security.jwt import TokenVerifier
from shared.security.keys import DevKeys, mint_token
from shared.security.roles import Role
from shared.settings import ServiceSettings

PAY = {"order_id": "o-1", "amount_minor": 12_500}
Client = TestClient[web.Request, web.Application]


class Pay(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order_id: str
    amount_minor: int = Field(gt=0)


class Payment(BaseModel):
    payment_id: str
    order_id: str
    amount_minor: int


class PaymentRefused(Rejected):
    code = "payment_refused"


class PaymentsDesk:
    """`POST /v1/payments` records a payment in a transaction, as every service handler writes."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.hold_next = False
        self.fail_next = False
        # After the payment is recorded: a bug (500) or a rule's refusal (400); inside its work: a refusal.
        self.fail_after_effect = False
        self.refuse_after_effect = False
        self.refuse_inside_work = False
        # The next answer is held on its way out for good, as if the connection died: `answer_leaving` tells.
        self.lose_next_answer = False
        self.answer_leaving = asyncio.Event()
        self.api = Api("payments")
        self.api.post("/v1/payments", body=Pay, response=Payment, status=201, roles={Role.BUYER})(self.pay)

    async def pay(self, request: web.Request, body: Pay) -> Payment:
        if self.hold_next:
            # Only the first call is held: any other that gets in runs straight through, as a duplicate would.
            self.hold_next = False
            self.entered.set()
            await self.release.wait()
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("payment provider timed out")
        payment = Payment(payment_id=uuid.uuid4().hex, order_id=body.order_id, amount_minor=body.amount_minor)

        async def record(session: Session) -> None:
            document = {**payment.model_dump(), "payer": principal(request).sub}
            await self.db.payments.insert_one(document, session=session)
            if self.refuse_inside_work:
                raise PaymentRefused("the card was declined while the payment was being recorded")

        await run_in_transaction(self.db.client, record)
        if self.fail_after_effect:
            raise RuntimeError("the answer could not be built")
        if self.refuse_after_effect:
            raise PaymentRefused("recorded as refused: the amount is above the buyer's limit")
        return payment

    async def prepare_answer(self, request: web.Request, response: web.StreamResponse) -> None:
        if self.lose_next_answer:
            self.lose_next_answer = False
            self.answer_leaving.set()
            await asyncio.Event().wait()

    async def effects(self) -> int:
        return await self.db.payments.count_documents({})


def payments_app(
    db: AsyncDatabase[Document], desk: PaymentsDesk, verifier: TokenVerifier, clock: Clock | None = None
) -> web.Application:
    """The desk served as a service serves its routes (Idempotency-Key, problems, error statuses)."""
    app = create_app(
        service="payments",
        settings=ServiceSettings(),
        db=db,
        metrics=PlatformMetrics(),
        verifier=verifier,
        apis=[desk.api],
        readiness=[],
        error_statuses={PaymentRefused: 400},
        clock=clock,
    )
    app.on_response_prepare.append(desk.prepare_answer)
    return app


def desk_verifier(keys: DevKeys) -> TokenVerifier:
    settings = ServiceSettings()
    return TokenVerifier.from_file(
        keys.public_keys_path, audience=settings.jwt_audience, issuer=settings.jwt_issuer
    )


def headers(keys: DevKeys, key: str, buyer: str = "buyer-1") -> dict[str, str]:
    """A buyer's bearer token and an Idempotency-Key."""
    settings = ServiceSettings()
    token = mint_token(
        keys.private_key_path,
        sub=buyer,
        role="buyer",
        tier="standard",
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
