"""Who is at the desk: the operator's token, its role, and the desks that role may open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from shared.security.jwt import Principal, TokenRejected, TokenVerifier
from shared.security.keys import mint_token
from shared.security.roles import OPS_ROLES, Role

# An operator id is shown on pages and recorded by the services as the actor: keep it plain.
OPERATOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
MINTED_TOKEN_TTL = timedelta(hours=8)


@dataclass(frozen=True)
class Desk:
    """One workflow of the console, open to one operator role."""

    name: str
    title: str
    role: str
    path: str


DESKS: tuple[Desk, ...] = (
    Desk("mediation", "Mediation", Role.MEDIATOR, "/mediation"),
    Desk("verification", "Verification", Role.VERIFICATION, "/verification"),
    Desk("finance", "Finance", Role.FINANCE, "/finance"),
    Desk("operations", "Operations", Role.PLATFORM, "/operations"),
)


def desk(name: str) -> Desk:
    return next(found for found in DESKS if found.name == name)


def operator_roles() -> list[str]:
    """The roles the sign-in page offers: every ops role the platform knows."""
    return sorted(str(role) for role in OPS_ROLES)


@dataclass(frozen=True)
class Operator:
    """A signed-in person: the principal its token names, and the token the console calls with."""

    principal: Principal
    token: str

    @property
    def desks(self) -> list[Desk]:
        return [found for found in DESKS if found.role == self.principal.role]

    def may_open(self, opened: Desk) -> bool:
        return self.principal.role == opened.role


class SignInRefused(Exception):
    """The sign-in cannot go ahead; the message is safe to show."""


class Identity:
    """Reads tokens (always) and mints them (sandbox only, with the local development key)."""

    def __init__(
        self, verifier: TokenVerifier, *, audience: str, issuer: str, signing_key: Path | None
    ) -> None:
        self._verifier = verifier
        self._audience = audience
        self._issuer = issuer
        self._signing_key = signing_key

    @property
    def mints(self) -> bool:
        return self._signing_key is not None

    def operator(self, token: str) -> Operator | None:
        try:
            return Operator(self._verifier.verify(token), token)
        except TokenRejected:
            return None

    def mint(self, *, operator_id: str, role: str) -> str:
        if self._signing_key is None:
            raise SignInRefused("sign in through the company gateway: this console does not issue tokens")
        if role not in operator_roles():
            raise SignInRefused(f"{role!r} is not an operator role")
        if not OPERATOR_ID.match(operator_id):
            raise SignInRefused("an operator id is 2–64 letters, digits, '.', '_' or '-'")
        return mint_token(
            self._signing_key,
            sub=operator_id,
            role=role,
            audience=self._audience,
            issuer=self._issuer,
            ttl=MINTED_TOKEN_TTL,
        )
