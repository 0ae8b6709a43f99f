"""Issued quotes (kept for audit, support and the parties' quote lists) and the signer escrow trusts."""

from __future__ import annotations

from pathlib import Path

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from shared import write_behind
from shared.contracts.catalog import Quote
from shared.mongo import Document, Session
from shared.paging import ListSpec, Ordering
from shared.security.keys import sign_claims
from shared.store import to_document
from shared.write_behind import Inserts

QUOTES = "quotes"

QUOTE_LIST = ListSpec(
    name="quotes",
    collection=QUOTES,
    scopes=(("buyer_id",), ("supplier_id",)),  # the buyer's own, or the quotes on a supplier's products
    filters=frozenset({"product_id", "expires_at"}),
    orderings=(
        Ordering("newest", (("issued_at", DESCENDING),)),
        # The buyer's "to do": the price lock that ends first is the one to turn into an order first.
        Ordering("expiring", (("expires_at", ASCENDING),)),
    ),
)


class QuoteSigner:
    """Signs a quote as a compact JWS escrow verifies offline (contract: claims `quote` and `jti`)."""

    def __init__(self, private_key_file: Path, *, audience: str, issuer: str) -> None:
        self._key_file = private_key_file
        self._audience = audience
        self._issuer = issuer

    def sign(self, quote: Quote) -> str:
        claims = {"quote": quote.model_dump(mode="json"), "jti": quote.id}
        return sign_claims(
            self._key_file, claims, audience=self._audience, issuer=self._issuer, expires_at=quote.expires_at
        )


class QuoteRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._quotes = db[QUOTES]

    async def add(self, quote: Quote, token: str, *, session: Session) -> None:
        # Held until the commit, with the request's idempotency record: nothing in it reads quotes back.
        document = {
            "_id": quote.id,
            "buyer_id": quote.buyer_id,
            "supplier_id": quote.supplier_id,
            "product_id": quote.product_id,
            "issued_at": quote.issued_at,
            "expires_at": quote.expires_at,
            "quote": to_document(quote),
            "token": token,
        }
        await write_behind.write(session, Inserts(self._quotes, [document]))
