"""Who the caller is to one object: its buyer, its supplier, an operations desk, or nobody.

Every service's reads and writes of an object ask this one module. The relation comes from the token's
role AND its subject together: a supplier token carrying the buyer's id is not the buyer, and an ops
role counts only on the desks that work the object. Someone else's object is not found (its existence is
not revealed); a visible object's action reserved to another relation is forbidden.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from shared.http.problems import Problem
from shared.security.jwt import Principal
from shared.security.roles import OPS_ROLES, Role


class Relation(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    OPS = "ops"


class Traded(Protocol):
    """An object of one trade: an order, its shipment, a claim on it, ..."""

    @property
    def buyer_id(self) -> str: ...
    @property
    def supplier_id(self) -> str: ...


T = TypeVar("T", bound=Traded)


@dataclass(frozen=True)
class Parties:
    """The ids of an object's trading parties; an object of one party (a supplier's profile) names one."""

    buyer_id: str | None = None
    supplier_id: str | None = None

    @classmethod
    def of(cls, traded: Traded | None) -> Parties | None:
        """The parties of a loaded object; None when there is none (it is not found, like another's)."""
        return None if traded is None else cls(buyer_id=traded.buyer_id, supplier_id=traded.supplier_id)


def relation_to(who: Principal, parties: Parties, *, ops: Collection[Role] = OPS_ROLES) -> Relation | None:
    """The caller's relation to an object with these parties, or None for anyone else."""
    if who.role in ops:
        return Relation.OPS
    if who.role == Role.BUYER and parties.buyer_id is not None and who.sub == parties.buyer_id:
        return Relation.BUYER
    if who.role == Role.SUPPLIER and parties.supplier_id is not None and who.sub == parties.supplier_id:
        return Relation.SUPPLIER
    return None


def forbidden(message: str) -> Exception:
    """The platform's 403, as a route refusing the caller's role answers it."""
    return Problem(403, "forbidden", "Forbidden.", message)


@dataclass(frozen=True)
class Guard:
    """How one kind of object is guarded: the ops desks that see every one, and the errors it answers.

    `not_found` is the object's own not-found error (its problem type names the kind of object), so an
    object someone else owns and one that does not exist answer alike.
    """

    not_found: Callable[[str], Exception]
    ops: frozenset[Role] = OPS_ROLES
    forbidden: Callable[[str], Exception] = forbidden

    def visible(self, who: Principal, parties: Parties | None, identifier: str) -> Relation:
        """The caller's relation to the object; not found for a stranger or a missing object."""
        relation = None if parties is None else relation_to(who, parties, ops=self.ops)
        if relation is None:
            raise self.not_found(f"{identifier} not found")
        return relation

    def seen(self, who: Principal, found: T | None, identifier: str) -> T:
        """`found` when the caller may see it; not found for a stranger or a missing object."""
        self.visible(who, Parties.of(found), identifier)
        assert found is not None  # visible() refused a missing object
        return found

    def require(
        self, who: Principal, parties: Parties | None, identifier: str, allowed: Collection[Relation]
    ) -> Relation:
        """The caller's relation when it is one of `allowed`; not found for strangers, else forbidden."""
        relation = self.visible(who, parties, identifier)
        if relation not in allowed:
            raise self.forbidden(f"only the {' or '.join(sorted(allowed))} may do this on {identifier}")
        return relation
