"""A refusal's detail, which the API answers as the problem's `detail`, names the field and says what
would have been accepted: the limit, the expected value or the missing precondition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from services.catalog.domain.certifications import VerificationStatus
from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.patches import patched
from services.catalog.domain.policy import BadgePolicy, ProductPolicy, QuotePolicy
from services.catalog.domain.pricing import price_quantity, resolve_tier
from services.catalog.domain.product import GuaranteedOffer, PriceTier, ProductTerms, SampleOffer
from services.catalog.domain.product_rules import check_terms
from services.catalog.domain.quote import QuoteRequest, issue_sample_quote
from services.catalog.domain.search import Cursor, SearchQuery, SortKey, check_query
from services.catalog.domain.shipping import GuaranteedRoute, landed_shipping
from services.catalog.domain.vetting import record_export_performance, set_certification_status
from shared.money import Money
from tests.unit.catalog.builders import DAY, NOW, USD_RATE, product, supplier, terms, usd

GUARANTEED = GuaranteedOffer(dispatch_within=timedelta(hours=96))
BY_WEIGHT = GuaranteedRoute(
    route_id="r-cn-de",
    origin="CN",
    destination="DE",
    carrier_service="air",
    transit_days=9,
    price_per_kg=usd(100),
    destination_timezone="Europe/Berlin",
)
POLICY = ProductPolicy()
SIX_SAMPLES = QuoteRequest(product_id="prod-1", quantity=6, destination="DE", kind="sample")


def tiers(*bounds: tuple[int, int | None]) -> tuple[PriceTier, ...]:
    return tuple(PriceTier(min_qty=low, max_qty=high, unit_price=usd(500)) for low, high in bounds)


def checked(policy: ProductPolicy = POLICY, **overrides: object) -> Callable[[], object]:
    offered: ProductTerms = terms(**overrides)
    return lambda: check_terms(offered, supplier(), policy)


def sample_quote(sample: SampleOffer | None) -> Callable[[], object]:
    listed = product(sample=sample)
    return lambda: issue_sample_quote(
        "q-1", listed, "b-1", SIX_SAMPLES, (), QuotePolicy(), NOW, USD_RATE, "CN"
    )


REFUSALS: dict[str, tuple[Callable[[], object], str]] = {
    "no sample offer": (sample_quote(None), "kind: this product offers no samples"),
    "too many samples": (
        sample_quote(SampleOffer(unit_price=usd(900), max_qty=5)),
        "quantity: at most 5 samples",
    ),
    "moq off the multiple": (
        checked(moq=105, tiers=tiers((105, None))),
        "moq: must be a multiple of the order multiple 10",
    ),
    "trade assurance unenrolled": (
        checked(trade_assurance=True),
        "trade_assurance: the supplier is not enrolled in Trade Assurance",
    ),
    "easy return alone": (
        checked(easy_return=True),
        "easy_return: Easy Return is offered only on Trade Assurance listings",
    ),
    "dispatch promise too short": (
        checked(guaranteed=GuaranteedOffer(dispatch_within=timedelta(hours=71))),
        "guaranteed.dispatch_within: must be between 3 days, 0:00:00 and 7 days, 0:00:00",
    ),
    "too many tiers": (checked(ProductPolicy(max_tiers=2)), "tiers: at most 2 tiers"),
    "first tier off the moq": (
        checked(tiers=tiers((50, None))),
        "tiers[0].min_qty: the first tier must start at the MOQ 100",
    ),
    "tier ending before it starts": (
        checked(order_multiple=1, tiers=tiers((100, 99))),
        "tiers[0].max_qty: must not be below min_qty",
    ),
    "open tier before the last": (
        checked(tiers=tiers((100, None), (500, None))),
        "tiers[0].max_qty: only the last tier may be open-ended",
    ),
    "gap between tiers": (
        checked(tiers=tiers((100, 499), (600, None))),
        "tiers[1].min_qty: must be 500 (tiers are contiguous)",
    ),
    "tier in another currency": (
        checked(tiers=(PriceTier(min_qty=100, unit_price=Money(amount=500, currency="EUR")),)),
        "tiers[0].unit_price.currency: must be the product currency USD",
    ),
    "free tier": (
        checked(tiers=(PriceTier(min_qty=100, unit_price=usd(0)),)),
        "tiers[0].unit_price.amount: must be positive",
    ),
    "patched country": (
        lambda: patched(supplier().profile, {"country": "China"}),
        "country: String should have at most 2 characters",
    ),
    "price filter without currency": (
        lambda: check_query(SearchQuery(max_price=5)),
        "currency: price filters and sort=price need a currency",
    ),
    "inverted price range": (
        lambda: check_query(SearchQuery(currency="USD", min_price=6, max_price=5)),
        "min_price: must not exceed max_price",
    ),
    "foreign cursor": (
        lambda: Cursor.decode("not-a-cursor", SortKey.PRICE),
        "cursor: not a cursor returned by this search",
    ),
    "cursor of another sort": (
        lambda: Cursor.decode(Cursor(sort=SortKey.PRICE, value=1.0, id="p").encode(), SortKey.RATING),
        "cursor: belongs to sort=price, not sort=rating",
    ),
    "no lane in the currency": (
        lambda: landed_shipping([], "USD", 100, None),
        "destination: no Guaranteed route to this destination priced in USD",
    ),
    "lane by weight, product without one": (
        lambda: landed_shipping([BY_WEIGHT], "USD", 100, None),
        "product.unit_weight_grams: route r-cn-de is priced by weight",
    ),
    "below the moq": (
        lambda: resolve_tier(product(), 90),
        "quantity: 90 is below the minimum order quantity 100",
    ),
    "off the order multiple": (
        lambda: resolve_tier(product(), 105),
        "quantity: 105 is not a multiple of the order multiple 10",
    ),
    "below the first tier": (
        lambda: resolve_tier(product(tiers=tiers((200, None))), 150),
        "quantity: 150 is below the minimum order quantity 100",
    ),
    "beyond a capped last tier": (
        lambda: resolve_tier(product(tiers=tiers((100, 1000))), 1010),
        "quantity: 1010 exceeds the largest orderable quantity 1000",
    ),
    "guaranteed without a lane": (
        lambda: price_quantity(product(guaranteed=GUARANTEED), 100, None),
        "destination: no Guaranteed route to this destination",
    ),
    "shipping in another currency": (
        lambda: price_quantity(product(guaranteed=GUARANTEED), 100, Money(amount=1, currency="EUR")),
        "shipping_price.currency: must be the product currency USD",
    ),
    "negative shipping": (
        lambda: price_quantity(product(guaranteed=GUARANTEED), 100, usd(-1)),
        "shipping_price.amount: must not be negative",
    ),
    "unknown certification": (
        lambda: set_certification_status(
            supplier(), "ISO-1", VerificationStatus.VERIFIED, BadgePolicy(), NOW
        ),
        "number: no certification numbered 'ISO-1'",
    ),
    "percentile above 100": (
        lambda: record_export_performance(supplier(), 101, NOW - DAY, BadgePolicy(), NOW),
        "export_percentile: must be between 0 and 100",
    ),
    "experience from the future": (
        lambda: record_export_performance(supplier(), 50, NOW + DAY, BadgePolicy(), NOW),
        "experience_since: must not be in the future",
    ),
}


@pytest.mark.parametrize(("refusal", "detail"), list(REFUSALS.values()), ids=list(REFUSALS))
def test_a_refusal_details_its_field_and_what_would_be_accepted(
    refusal: Callable[[], object], detail: str
) -> None:
    with pytest.raises(InvalidFieldError) as refused:
        refusal()
    assert str(refused.value) == detail
    assert detail.startswith(f"{refused.value.field}: ")
