"""Verify the gateway's JWTs: keys found by `kid` in a key set, required `aud`/`iss`/`exp`, known roles."""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import jwt
from jwt.utils import base64url_decode

from shared.security.key_set import JwksFile, KeySet
from shared.security.roles import PERSON_ROLES, SERVICE_ROLE_PREFIX, Role

BUYER_TIERS = frozenset({"standard", "enterprise", "enterprise_pro"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: `sub` is the buyer's, supplier's, operator's or service's id."""

    sub: str
    role: str
    tier: str | None = None


class TokenRejected(Exception):
    """The token cannot be trusted; the message says why (safe to show: it names no secret)."""

    code: ClassVar[str] = "unauthorized"


class TokenVerifier:
    """Checks signature, algorithm, key id, audience, issuer and expiry, then reads the principal."""

    def __init__(
        self,
        keys: KeySet | Mapping[str, jwt.PyJWK],
        *,
        audience: str,
        issuer: str,
        leeway: timedelta = timedelta(seconds=30),
    ) -> None:
        self._keys = keys if isinstance(keys, KeySet) else KeySet(keys)
        self._audience = audience
        self._issuer = issuer
        self._leeway = leeway

    @classmethod
    def from_jwks(cls, jwks: Mapping[str, Any], *, audience: str, issuer: str) -> TokenVerifier:
        """From a JWKS document (`{"keys": [{"kid": ..., "kty": ...}, ...]}`); every key needs a `kid`."""
        return cls(KeySet.of_jwks(jwks), audience=audience, issuer=issuer)

    @classmethod
    def from_file(cls, path: Path, *, audience: str, issuer: str) -> TokenVerifier:
        """From a JWKS file, followed as it changes: keys rotate without a restart."""
        return cls(JwksFile(path), audience=audience, issuer=issuer)

    def verify(self, token: str) -> Principal:
        return _principal(self.verify_claims(token, require=("exp", "aud", "iss", "sub")))

    def verify_claims(
        self, token: str, *, require: tuple[str, ...] = ("exp", "aud", "iss")
    ) -> dict[str, Any]:
        """The claims of any document signed by a trusted key (a token, a quote), after every check."""
        header = _unverified_header(token)
        key = self._keys.find(str(header.get("kid")))
        if key is None:
            raise TokenRejected("unknown signing key")
        # The key decides the algorithm, never the token: this blocks alg=none and algorithm confusion.
        if header.get("alg") != key.algorithm_name:
            raise TokenRejected("algorithm does not match the signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=[key.algorithm_name],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(require)},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenRejected("token expired") from error
        except jwt.InvalidTokenError as error:
            raise TokenRejected(f"token rejected: {error}") from error
        return claims


def _unverified_header(token: str) -> dict[str, Any]:
    """The header alone, to pick the key. Not `jwt.get_unverified_header`: it decodes and checks every
    segment of the token, which `jwt.decode` then does again (the top entry of a service's CPU profile)."""
    try:
        header = json.loads(base64url_decode(token.split(".", 1)[0]))
    except (ValueError, binascii.Error) as error:
        raise TokenRejected("malformed token") from error
    if not isinstance(header, dict):
        raise TokenRejected("malformed token")
    return header


def _principal(claims: Mapping[str, Any]) -> Principal:
    sub, role, tier = claims.get("sub"), claims.get("role"), claims.get("tier")
    if not isinstance(sub, str) or not sub:
        raise TokenRejected("token has no subject")
    if not isinstance(role, str) or not is_known_role(role):
        raise TokenRejected("token has no known role")
    if role != Role.BUYER:
        return Principal(sub=sub, role=role)
    # Escrow snapshots the tier into each order, so a buyer token without a valid tier is unusable.
    if tier not in BUYER_TIERS:
        raise TokenRejected("buyer token has no known tier")
    return Principal(sub=sub, role=role, tier=str(tier))


def is_known_role(role: str) -> bool:
    return role in PERSON_ROLES or (
        role.startswith(SERVICE_ROLE_PREFIX) and len(role) > len(SERVICE_ROLE_PREFIX)
    )
