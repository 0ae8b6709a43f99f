"""Who a token's subject is to the platform: the one list of roles every route and check uses."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The people's roles; services authenticate as `service:<name>` (see `shared.security.jwt`)."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    VERIFICATION = "ops:verification"
    MEDIATOR = "ops:mediator"
    FINANCE = "ops:finance"


# Platform operations: they see every object of their desk, and own none.
OPS_ROLES = frozenset({Role.VERIFICATION, Role.MEDIATOR, Role.FINANCE})
PERSON_ROLES = frozenset(Role)
