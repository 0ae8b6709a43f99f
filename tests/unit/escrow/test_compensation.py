"""On-time delivery guarantee: buyer credit for a broken promise, capped, once per order."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.compensation import (
    CompensationDenial,
    assess_compensation,
    automatic_compensation_due_at,
    issue_compensation,
    record_missed_by_promise,
    record_missed_deadline,
)
from services.escrow.domain.errors import CompensationRefusedError
from services.escrow.domain.lifecycle import fund_order, place_order, record_delivery, record_shipment
from services.escrow.domain.order import MissedDeadline, Order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.protection import protection_terms
from shared.contracts import escrow as events
from shared.contracts.escrow import BuyerTier, CompensationFunding, DeadlineKind, OrderKind
from shared.money import ExchangeRate
from tests.support.protection import easy_return

from .factories import DELIVERED_AT, POLICY, T0, funded, money, placed, shipped, terms

DELIVERY = DeadlineKind.DELIVERY


def late(currency: str = "USD", tier: BuyerTier = BuyerTier.STANDARD, policy: EscrowPolicy = POLICY) -> Order:
    order = funded(currency, tier, policy)
    assert order.promise is not None
    return record_missed_deadline(order, DELIVERY, order.promise.delivery_late_from).order


def test_compensation_is_capped_at_one_hundred_dollars_by_default() -> None:
    order = late("USD")
    verdict = assess_compensation(order, DELIVERY, automatic=False, now=order.missed_deadlines[0].late_from)

    assert verdict.allowed
    assert verdict.amount == money(10_000)


def test_compensation_never_exceeds_what_was_paid() -> None:
    # Given an order placed under a cap above its $2,149.00
    order = late("USD", policy=EscrowPolicy(compensation_cap=money(1_000_000)))

    verdict = assess_compensation(order, DELIVERY, automatic=False, now=order.missed_deadlines[0].late_from)

    assert verdict.amount == money(214_900)


@pytest.mark.parametrize(("currency", "cap"), [("JPY", 15_000), ("USD", 10_000), ("KWD", 30_000)])
def test_every_currency_is_compensated_up_to_the_usd_cap_at_the_contracts_rate(
    currency: str, cap: int
) -> None:
    # given late orders in zero-, two- and three-decimal currencies, each with its contract's rate
    order = late(currency)
    now = order.missed_deadlines[0].late_from
    # when the buyer claims, then each is paid the US$100 cap converted at that rate, to the minor unit
    verdict = assess_compensation(order, DELIVERY, automatic=False, now=now)
    assert (verdict.allowed, verdict.amount) == (True, money(cap, currency))


def test_the_cap_is_the_one_the_contract_recorded() -> None:
    # given an order placed while the policy's cap was US$50
    order = late("USD", policy=EscrowPolicy(compensation_cap=money(5_000)))
    # when it is compensated, then that cap holds: the decision reads the contract, not today's policy
    now = order.missed_deadlines[0].late_from
    assert assess_compensation(order, DELIVERY, automatic=False, now=now).amount == money(5_000)


def test_compensation_needs_a_missed_deadline_of_that_kind() -> None:
    order = late("USD")
    now = order.missed_deadlines[0].late_from

    verdict = assess_compensation(order, DeadlineKind.DISPATCH, automatic=False, now=now)

    assert verdict.reason == CompensationDenial.DEADLINE_NOT_MISSED


@pytest.mark.parametrize("tier", [BuyerTier.ENTERPRISE, BuyerTier.ENTERPRISE_PRO])
def test_enterprise_buyers_are_compensated_automatically_once_the_promise_is_broken(tier: BuyerTier) -> None:
    order = late("USD", tier)
    due = automatic_compensation_due_at(order)
    assert due is not None
    assert order.promise is not None
    assert due == order.promise.delivery_late_from  # the first instant of the day after the promised date

    change = issue_compensation(order, DELIVERY, automatic=True, now=due, policy=POLICY)

    (issued,) = change.events
    assert isinstance(issued, events.CompensationIssued)
    assert issued.automatic
    (entry,) = change.entries
    assert {p.account: p.amount.amount for p in entry.postings} == {
        accounts.GUARANTEE_FUND: -10_000,
        accounts.buyer_credit("b-1"): 10_000,
    }


def test_automatic_compensation_waits_for_the_promise_to_lapse() -> None:
    order = late("USD", BuyerTier.ENTERPRISE)
    before = order.missed_deadlines[0].late_from - timedelta(seconds=1)

    verdict = assess_compensation(order, DELIVERY, automatic=True, now=before)

    assert verdict.reason == CompensationDenial.NOT_YET_DUE


def test_standard_buyers_are_not_compensated_automatically() -> None:
    order = late("USD")

    assert automatic_compensation_due_at(order) is None
    assert assess_compensation(
        order, DELIVERY, automatic=True, now=order.missed_deadlines[0].late_from
    ).reason == (CompensationDenial.NOT_AUTOMATIC_FOR_TIER)


@pytest.mark.parametrize(("days", "allowed"), [(30, True), (31, False)])
def test_others_claim_compensation_within_thirty_days_of_the_promise(days: int, allowed: bool) -> None:
    order = late("USD")
    now = order.missed_deadlines[0].late_from + timedelta(days=days)

    verdict = assess_compensation(order, DELIVERY, automatic=False, now=now)

    assert verdict.allowed is allowed
    if not allowed:
        assert verdict.reason == CompensationDenial.CLAIM_WINDOW_CLOSED


def test_one_compensation_per_order() -> None:
    order = late("USD", BuyerTier.ENTERPRISE)
    now = order.missed_deadlines[0].late_from
    order = record_missed_deadline(order, DeadlineKind.DISPATCH, now).order
    compensated = issue_compensation(order, DELIVERY, automatic=True, now=now, policy=POLICY).order

    # A repeated automatic trigger is a no-op; a claim (any kind) is refused with the reason
    assert not issue_compensation(compensated, DELIVERY, automatic=True, now=now, policy=POLICY).changed
    with pytest.raises(CompensationRefusedError) as refused:
        issue_compensation(compensated, DeadlineKind.DISPATCH, automatic=False, now=now, policy=POLICY)
    assert refused.value.reason == CompensationDenial.ALREADY_COMPENSATED


def test_compensation_can_be_funded_by_the_platform() -> None:
    order = late("USD")
    policy = EscrowPolicy(compensation_funded_by=CompensationFunding.PLATFORM)

    change = issue_compensation(
        order, DELIVERY, automatic=False, now=order.missed_deadlines[0].late_from, policy=policy
    )

    (entry,) = change.entries
    assert {p.account: p.amount.amount for p in entry.postings} == {
        accounts.PLATFORM_FEES: -10_000,
        accounts.buyer_credit("b-1"): 10_000,
    }


def test_a_missed_deadline_is_recorded_once() -> None:
    order = late("USD")

    assert not record_missed_deadline(order, DELIVERY, order.missed_deadlines[0].late_from).changed


def test_an_allowed_compensation_always_moves_money() -> None:
    # given a contract whose rate makes the US$100 cap round to nothing in the order's minor unit
    # (1 yen = US$1,000: 0.1 yen)
    rate = ExchangeRate(currency="JPY", usd_per_unit=Decimal(1_000), source="sandbox", as_of=T0)
    frozen = protection_terms(rate, easy_return("JPY"), BuyerTier.STANDARD, POLICY)
    order = place_order(
        order_id="o-1",
        kind=OrderKind.STANDARD,
        buyer_id="b-1",
        buyer_tier=BuyerTier.STANDARD,
        supplier_id="s-1",
        terms=terms("JPY", protection=frozen),
        now=T0,
    ).order
    paid = fund_order(order, payment_id="p-1", amount=order.contract.terms.total, now=T0).order
    assert paid.promise is not None
    late_order = record_missed_deadline(paid, DELIVERY, paid.promise.delivery_late_from).order
    # when the buyer claims, then it is refused with the reason instead of "paying" zero
    verdict = assess_compensation(late_order, DELIVERY, automatic=False, now=paid.promise.delivery_late_from)
    assert (verdict.allowed, verdict.reason) == (False, CompensationDenial.NOTHING_TO_PAY)


STEP = timedelta(microseconds=1)


@pytest.mark.parametrize(("offset", "broken"), [(-STEP, False), (timedelta(0), False), (STEP, True)])
def test_escrows_own_promise_records_a_dispatch_missed_once_its_deadline_has_passed(
    offset: timedelta, broken: bool
) -> None:
    # given a funded order nothing was dispatched for, judged at its dispatch deadline + offset
    order = funded()
    assert order.promise is not None
    deadline = order.promise.dispatch_deadline

    change = record_missed_by_promise(order, DeadlineKind.DISPATCH, deadline + offset)

    # then the deadline counts as missed from the deadline itself, without waiting for logistics' report
    missed = (MissedDeadline(deadline=DeadlineKind.DISPATCH, late_from=deadline),) if broken else ()
    assert (change.changed, change.order.missed_deadlines) == (broken, missed)


@pytest.mark.parametrize(("offset", "broken"), [(-STEP, False), (timedelta(0), True), (STEP, True)])
def test_escrows_own_promise_records_a_delivery_missed_from_the_end_of_the_promised_day(
    offset: timedelta, broken: bool
) -> None:
    order = shipped()
    assert order.promise is not None
    late_from = order.promise.delivery_late_from

    change = record_missed_by_promise(order, DELIVERY, late_from + offset)

    missed = (MissedDeadline(deadline=DELIVERY, late_from=late_from),) if broken else ()
    assert (change.changed, change.order.missed_deadlines) == (broken, missed)


@pytest.mark.parametrize("deadline", [DeadlineKind.DISPATCH, DELIVERY])
def test_a_promise_kept_in_time_is_never_recorded_as_missed(deadline: DeadlineKind) -> None:
    # given an order shipped and delivered well inside its promise, judged long after both deadlines
    order = record_delivery(shipped(), DELIVERED_AT).order
    assert order.promise is not None

    change = record_missed_by_promise(order, deadline, order.promise.delivery_late_from + timedelta(days=90))

    assert not change.changed
    assert change.order == order


def test_a_dispatch_after_its_deadline_is_recorded_as_missed_from_the_deadline() -> None:
    order = funded()
    assert order.promise is not None
    deadline = order.promise.dispatch_deadline
    late = record_shipment(order, deadline + STEP).order

    change = record_missed_by_promise(late, DeadlineKind.DISPATCH, deadline + timedelta(days=1))

    assert change.order.missed_deadlines == (
        MissedDeadline(deadline=DeadlineKind.DISPATCH, late_from=deadline),
    )


def test_an_order_without_a_promise_or_already_recorded_as_late_records_nothing_more() -> None:
    unpaid = placed()
    reported = late()
    later = reported.missed_deadlines[0].late_from + timedelta(days=1)

    assert not record_missed_by_promise(unpaid, DELIVERY, T0 + timedelta(days=365)).changed
    # logistics' report came first: its instant stands
    again = record_missed_by_promise(reported, DELIVERY, later)
    assert (again.changed, again.order) == (False, reported)


def test_an_unpaid_order_is_never_compensated() -> None:
    # given an order nobody paid for, which logistics nonetheless reports late
    unpaid = record_missed_deadline(placed(tier=BuyerTier.ENTERPRISE), DELIVERY, T0).order

    verdict = assess_compensation(unpaid, DELIVERY, automatic=False, now=T0)

    assert verdict.reason == CompensationDenial.ORDER_NOT_PAID
    assert automatic_compensation_due_at(unpaid) is None


def test_an_enterprise_order_with_every_promise_kept_has_no_compensation_timer() -> None:
    assert automatic_compensation_due_at(funded("USD", BuyerTier.ENTERPRISE)) is None


def test_a_credit_of_one_minor_unit_is_still_paid() -> None:
    # given a contract whose rate makes the US$100 cap exactly 1 yen (1 yen = US$100)
    rate = ExchangeRate(currency="JPY", usd_per_unit=Decimal(100), source="sandbox", as_of=T0)
    frozen = protection_terms(rate, easy_return("JPY"), BuyerTier.STANDARD, POLICY)
    order = place_order(
        order_id="o-1",
        kind=OrderKind.STANDARD,
        buyer_id="b-1",
        buyer_tier=BuyerTier.STANDARD,
        supplier_id="s-1",
        terms=terms("JPY", protection=frozen),
        now=T0,
    ).order
    paid = fund_order(order, payment_id="p-1", amount=order.contract.terms.total, now=T0).order
    late_order = record_missed_deadline(paid, DELIVERY, T0).order

    verdict = assess_compensation(late_order, DELIVERY, automatic=False, now=T0)

    assert (verdict.allowed, verdict.reason, verdict.amount) == (True, "allowed", money(1, "JPY"))


def test_a_standard_buyer_is_not_credited_by_the_timer() -> None:
    order = late("USD")

    with pytest.raises(CompensationRefusedError) as refused:
        issue_compensation(
            order, DELIVERY, automatic=True, now=order.missed_deadlines[0].late_from, policy=POLICY
        )
    assert refused.value.reason == CompensationDenial.NOT_AUTOMATIC_FOR_TIER


def test_a_refused_compensation_says_why() -> None:
    with pytest.raises(CompensationRefusedError, match=r"^compensation refused: deadline_not_missed$"):
        issue_compensation(funded(), DELIVERY, automatic=False, now=T0, policy=POLICY)
