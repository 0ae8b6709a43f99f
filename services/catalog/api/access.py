"""Who may call what: role sets of the catalog's routes."""

from __future__ import annotations

from shared.security.jwt import PERSON_ROLES

BUYER = frozenset({"buyer"})
SUPPLIER = frozenset({"supplier"})
VERIFICATION = frozenset({"ops:verification"})
# Catalog facts are public to every authenticated caller, people and services alike.
ANYONE = PERSON_ROLES | {"service:escrow", "service:logistics", "service:disputes"}
