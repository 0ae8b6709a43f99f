"""The promised day ends at local midnight in the destination's zone, east and west of UTC, with and
without daylight saving, on the days the clocks change; an order names its zone where the country needs it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.escrow.domain.amendments import propose_amendment
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.promise import make_promise
from services.escrow.domain.quote_terms import BuyerChoices, order_from_quote
from services.escrow.domain.terms import Incoterm, Party
from shared.contracts.escrow import BuyerTier
from shared.time_zones import DestinationZoneRefused

from .factories import T0, placed, terms
from .test_quote_terms import NOW, quote

STANDARD = BuyerTier.STANDARD

# (zone, its country, promised local day, the first late instant in UTC)
ENDS_OF_PROMISED_DAYS = [
    # Europe/London, west-most of the EU's clocks: the spring-forward and fall-back days and their eves
    ("Europe/London", "GB", date(2026, 3, 28), datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
    ("Europe/London", "GB", date(2026, 3, 29), datetime(2026, 3, 29, 23, 0, tzinfo=UTC)),
    ("Europe/London", "GB", date(2026, 10, 24), datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
    ("Europe/London", "GB", date(2026, 10, 25), datetime(2026, 10, 26, 0, 0, tzinfo=UTC)),
    # America/Los_Angeles, west of UTC
    ("America/Los_Angeles", "US", date(2026, 3, 7), datetime(2026, 3, 8, 8, 0, tzinfo=UTC)),
    ("America/Los_Angeles", "US", date(2026, 3, 8), datetime(2026, 3, 9, 7, 0, tzinfo=UTC)),
    ("America/Los_Angeles", "US", date(2026, 10, 31), datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
    ("America/Los_Angeles", "US", date(2026, 11, 1), datetime(2026, 11, 2, 8, 0, tzinfo=UTC)),
    # Pacific/Auckland, east of UTC, its summer in the northern winter
    ("Pacific/Auckland", "NZ", date(2026, 4, 4), datetime(2026, 4, 4, 11, 0, tzinfo=UTC)),
    ("Pacific/Auckland", "NZ", date(2026, 4, 5), datetime(2026, 4, 5, 12, 0, tzinfo=UTC)),
    ("Pacific/Auckland", "NZ", date(2026, 9, 26), datetime(2026, 9, 26, 12, 0, tzinfo=UTC)),
    ("Pacific/Auckland", "NZ", date(2026, 9, 27), datetime(2026, 9, 27, 11, 0, tzinfo=UTC)),
    # Asia/Kolkata, east of UTC by a half hour, no daylight saving
    ("Asia/Kolkata", "IN", date(2026, 3, 29), datetime(2026, 3, 29, 18, 30, tzinfo=UTC)),
    ("Asia/Kolkata", "IN", date(2026, 10, 25), datetime(2026, 10, 25, 18, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(("zone", "country", "day", "late_from"), ENDS_OF_PROMISED_DAYS)
def test_the_promised_day_ends_at_local_midnight_in_the_destination(
    zone: str, country: str, day: date, late_from: datetime
) -> None:
    # Given an order to that zone funded so that its one transit day lands on `day`
    contract = terms(
        destination_country=country,
        destination_timezone=zone,
        handling_time=timedelta(hours=72),
        transit_days=1,
    )
    funded_at = datetime.combine(day - timedelta(days=4), time(12), tzinfo=ZoneInfo(zone)).astimezone(UTC)

    # When escrow fixes the promise
    promise = make_promise(contract, funded_at)

    # Then the day is the destination's, and it is late from that day's local midnight
    assert promise.promised_delivery_date == day
    assert promise.delivery_late_from == late_from
    assert promise.delivery_late_from.astimezone(ZoneInfo(zone)).time() == time(0)


def test_an_order_to_a_country_of_one_clock_takes_its_zone_and_the_contract_shows_it() -> None:
    # Given a quote to India and a buyer who names no zone
    choices = BuyerChoices(incoterm=Incoterm.DAP, handling_time=timedelta(days=7), transit_days=20)

    # When the order is placed
    placed = order_from_quote(
        quote(destination="IN"),
        buyer_id="b-1",
        tier=STANDARD,
        choices=choices,
        now=NOW,
        policy=EscrowPolicy(),
    )

    # Then its contract keeps the promise in India's zone
    assert placed.terms.destination_timezone == "Asia/Kolkata"


def test_an_order_to_a_country_of_several_clocks_must_name_its_zone() -> None:
    # Given a quote to the United States and a buyer who names no zone
    choices = BuyerChoices(incoterm=Incoterm.DAP, handling_time=timedelta(days=7), transit_days=20)

    # Then the order is refused, naming the field to fill in
    with pytest.raises(DestinationZoneRefused) as refused:
        order_from_quote(
            quote(destination="US"),
            buyer_id="b-1",
            tier=STANDARD,
            choices=choices,
            now=NOW,
            policy=EscrowPolicy(),
        )
    assert refused.value.field == "destination_timezone"

    # And with Los Angeles named, its contract keeps the promise there
    named = choices.model_copy(update={"destination_timezone": "America/Los_Angeles"})
    placed = order_from_quote(
        quote(destination="US"), buyer_id="b-1", tier=STANDARD, choices=named, now=NOW, policy=EscrowPolicy()
    )
    assert placed.terms.destination_timezone == "America/Los_Angeles"


def test_an_amendment_keeps_the_promise_in_a_zone_of_the_destination() -> None:
    # Given an order to the United States, promised in New York's zone
    order = placed()

    # When a party proposes to keep it in London's, then it is refused naming the field
    with pytest.raises(DestinationZoneRefused) as refused:
        propose_amendment(order, party=Party.BUYER, terms=terms(destination_timezone="Europe/London"), now=T0)
    assert refused.value.field == "destination_timezone"

    # And Los Angeles, a zone of the United States, may be agreed
    moved = propose_amendment(
        order, party=Party.BUYER, terms=terms(destination_timezone="America/Los_Angeles"), now=T0
    )
    assert moved.order.pending_amendment is not None


def test_a_contract_stored_before_zones_were_checked_still_reads() -> None:
    # Orders placed when unknown countries fell back to UTC keep their promise as it was made
    assert terms(destination_country="BR", destination_timezone="UTC").destination_timezone == "UTC"
