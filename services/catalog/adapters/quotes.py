"""Issued quotes (kept for audit and support) and the signer escrow trusts."""

from __future__ import annotations

from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts.catalog import Quote
from shared.mongo import Document, Session
from shared.security.keys import sign_claims
from shared.store import to_document

QUOTES = "quotes"


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
        await self._quotes.insert_one(
            {"_id": quote.id, "buyer_id": quote.buyer_id, "quote": to_document(quote), "token": token},
            session=session,
        )
