"""Who may call what: role sets of the catalog's routes."""

from __future__ import annotations

from shared.security.roles import PEOPLE, Role, services_except

BUYER = frozenset({Role.BUYER})
SUPPLIER = frozenset({Role.SUPPLIER})
VERIFICATION = frozenset({Role.OPS_VERIFICATION})
# Catalog facts are public to every authenticated caller, people and services alike.
ANYONE = PEOPLE | services_except("catalog")
