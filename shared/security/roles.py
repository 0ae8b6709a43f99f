"""The roles a gateway token may carry: the one vocabulary of every route declaration and access check.

Wire values are the JWT's `role` claim. `Role` is a `StrEnum`, so a member equals its string
(`Role.BUYER == "buyer"`) and a principal's plain-string role is found in a set of members.
"""

from __future__ import annotations

from enum import StrEnum

SERVICE_ROLE_PREFIX = "service:"


class Role(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    OPS_VERIFICATION = "ops:verification"
    OPS_MEDIATOR = "ops:mediator"
    OPS_FINANCE = "ops:finance"
    # Another service calling on its own behalf (`service:<name>`).
    SERVICE_CATALOG = "service:catalog"
    SERVICE_ESCROW = "service:escrow"
    SERVICE_LOGISTICS = "service:logistics"
    SERVICE_DISPUTES = "service:disputes"

    @property
    def is_service(self) -> bool:
        return self.value.startswith(SERVICE_ROLE_PREFIX)


# The people behind a token: the trading parties and the platform's operators.
PARTIES = frozenset({Role.BUYER, Role.SUPPLIER})
OPS = frozenset({Role.OPS_VERIFICATION, Role.OPS_MEDIATOR, Role.OPS_FINANCE})
PEOPLE = PARTIES | OPS
SERVICES = frozenset(role for role in Role if role.is_service)


def services_except(service: str) -> frozenset[Role]:
    """The other services' roles: a service never calls itself with a token."""
    return frozenset(role for role in SERVICES if role != f"{SERVICE_ROLE_PREFIX}{service}")
