"""Catalog's signed quotes, verified offline with catalog's public keys (no call to catalog)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from services.escrow.domain.errors import QuoteNotUsableError
from shared.contracts.catalog import Quote
from shared.security.jwt import TokenRejected, TokenVerifier


class SignedQuotes:
    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    @classmethod
    def from_file(cls, path: Path, *, audience: str, issuer: str) -> SignedQuotes:
        return cls(TokenVerifier.from_file(path, audience=audience, issuer=issuer))

    def read(self, token: str) -> Quote:
        """The quote catalog signed; refused when forged, expired, meant for someone else or malformed."""
        try:
            claims = self._verifier.verify_claims(token, require=("exp", "aud", "iss"))
            quote = Quote.model_validate(claims["quote"])
        except TokenRejected as error:
            raise QuoteNotUsableError(
                "quote_not_verified", f"the quote cannot be verified: {error}"
            ) from None
        except (KeyError, ValidationError) as error:
            raise QuoteNotUsableError("quote_malformed", f"the signed quote is malformed: {error}") from None
        if claims.get("jti") != quote.id:
            raise QuoteNotUsableError("quote_malformed", "the signed quote's jti does not name the quote")
        return quote
