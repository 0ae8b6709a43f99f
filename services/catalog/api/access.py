"""Who may call what: role sets of the catalog's routes."""

from __future__ import annotations

from shared.security.roles import PERSON_ROLES, Role, other_services

BUYER = frozenset({Role.BUYER})
SUPPLIER = frozenset({Role.SUPPLIER})
PARTIES = frozenset({Role.BUYER, Role.SUPPLIER})
VERIFICATION = frozenset({Role.VERIFICATION})
# Catalog facts are public to every authenticated caller, people and services alike.
ANYONE = PERSON_ROLES | other_services("catalog")
