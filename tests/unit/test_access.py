"""Who the caller is to an object comes from the token's role and subject together (shared guard)."""

from __future__ import annotations

import pytest

from shared.http.problems import Problem
from shared.security.access import Guard, Parties, Relation, relation_to
from shared.security.jwt import Principal
from shared.security.roles import Role

TRADE = Parties(buyer_id="b-1", supplier_id="s-1")


class WidgetNotFound(Exception):
    pass


WIDGETS = Guard(not_found=WidgetNotFound, ops=frozenset({Role.MEDIATOR}))


def test_a_party_is_known_by_its_role_and_its_subject() -> None:
    assert relation_to(Principal("b-1", Role.BUYER), TRADE) is Relation.BUYER
    assert relation_to(Principal("s-1", Role.SUPPLIER), TRADE) is Relation.SUPPLIER


def test_a_partys_id_under_another_role_is_no_relation() -> None:
    # Given the buyer's id in a supplier token, and the supplier's id in a buyer token
    impostors = [Principal("b-1", Role.SUPPLIER), Principal("s-1", Role.BUYER)]

    # Then neither is anyone to the trade
    assert [relation_to(who, TRADE) for who in impostors] == [None, None]


def test_an_object_of_one_party_has_no_other_party() -> None:
    profile = Parties(supplier_id="s-1")

    assert relation_to(Principal("s-1", Role.BUYER), profile) is None
    assert relation_to(Principal("s-1", Role.SUPPLIER), profile) is Relation.SUPPLIER


def test_only_the_ops_desks_of_an_object_see_it_as_ops() -> None:
    assert WIDGETS.visible(Principal("m-1", Role.MEDIATOR), TRADE, "widget w-1") is Relation.OPS
    with pytest.raises(WidgetNotFound):
        WIDGETS.visible(Principal("f-1", Role.FINANCE), TRADE, "widget w-1")


def test_someone_elses_object_and_a_missing_one_are_both_not_found() -> None:
    with pytest.raises(WidgetNotFound):
        WIDGETS.visible(Principal("b-2", Role.BUYER), TRADE, "widget w-1")
    with pytest.raises(WidgetNotFound):
        WIDGETS.visible(Principal("b-1", Role.BUYER), None, "widget w-1")


def test_an_action_reserved_to_the_other_side_of_a_visible_object_is_forbidden() -> None:
    # Given the supplier of the trade, when it does what only the buyer may
    with pytest.raises(Problem) as refused:
        WIDGETS.require(Principal("s-1", Role.SUPPLIER), TRADE, "widget w-1", {Relation.BUYER})

    # Then it is a 403, and the buyer may
    assert refused.value.status == 403
    assert (
        WIDGETS.require(Principal("b-1", Role.BUYER), TRADE, "widget w-1", {Relation.BUYER}) is Relation.BUYER
    )
