"""Who a token's subject is to the platform: the one list of roles every route and check uses.

Wire values are the JWT's `role` claim. `Role` is a `StrEnum`, so a member equals its string
(`Role.BUYER == "buyer"`) and a principal's plain-string role is found in a set of members.
"""

from __future__ import annotations

from enum import StrEnum

# Another service calling on its own behalf authenticates as `service:<name>`.
SERVICE_ROLE_PREFIX = "service:"


class Role(StrEnum):
    """The people's roles, and the services that call each other's APIs (`service:<name>`)."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    VERIFICATION = "ops:verification"
    MEDIATOR = "ops:mediator"
    FINANCE = "ops:finance"
    # Operates the platform itself (parked messages), not the trade: no party's object is its work.
    PLATFORM = "ops:platform"
    SERVICE_CATALOG = "service:catalog"
    SERVICE_ESCROW = "service:escrow"
    SERVICE_LOGISTICS = "service:logistics"
    SERVICE_DISPUTES = "service:disputes"

    @property
    def is_service(self) -> bool:
        return self.value.startswith(SERVICE_ROLE_PREFIX)


# The trading parties: each sees only its own objects.
PARTIES = frozenset({Role.BUYER, Role.SUPPLIER})
# Platform operations: they see every object of their desk, and own none.
OPS_ROLES = frozenset({Role.VERIFICATION, Role.MEDIATOR, Role.FINANCE, Role.PLATFORM})
PERSON_ROLES = PARTIES | OPS_ROLES
SERVICE_ROLES = frozenset(role for role in Role if role.is_service)


def other_services(service: str) -> frozenset[Role]:
    """The roles of every service but `service`: a service never calls itself with a token."""
    return frozenset(role for role in SERVICE_ROLES if role != f"{SERVICE_ROLE_PREFIX}{service}")
