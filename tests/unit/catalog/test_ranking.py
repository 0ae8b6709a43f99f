"""Search ranking boosts Verified Pro, then Verified, then rating and on-time rate, and explains itself."""

from __future__ import annotations

from services.catalog.domain.policy import RankingPolicy
from services.catalog.domain.ranking import RankingSignals, rank_score

POLICY = RankingPolicy()
BEST_QUALITY = {"rating": 5.0, "on_time_bps": 10_000}


def score(**signals: object) -> float:
    return rank_score(RankingSignals.model_validate(signals), POLICY).total


def test_verified_pro_outranks_verified_at_equal_relevance() -> None:
    assert score(verified=True, verified_pro=True) > score(verified=True, **BEST_QUALITY)


def test_verified_outranks_an_unverified_supplier_with_perfect_ratings() -> None:
    assert score(verified=True) > score(**BEST_QUALITY)


def test_rating_then_on_time_rate_order_equally_verified_suppliers() -> None:
    assert score(verified=True, rating=4.8) > score(verified=True, rating=4.0)
    assert score(rating=4.0, on_time_bps=9_500) > score(rating=4.0, on_time_bps=8_000)


def test_explain_shows_the_parts_that_sum_to_the_total() -> None:
    result = rank_score(RankingSignals(relevance=1.5, verified=True, rating=4.0, on_time_bps=9_000), POLICY)
    assert result.parts == {
        "relevance": 1.5,
        "verified_pro": 0.0,
        "verified": 2.0,
        "rating": 0.8,
        "on_time": 0.45,
    }
    assert result.total == round(sum(result.parts.values()), 6)


def test_an_unrated_supplier_without_deliveries_gains_nothing_from_rating_or_on_time() -> None:
    parts = rank_score(RankingSignals(), POLICY).parts
    assert (parts["rating"], parts["on_time"]) == (0.0, 0.0)


def test_explained_parts_and_total_are_rounded_to_six_decimals() -> None:
    result = rank_score(RankingSignals(relevance=1 / 3), POLICY)
    assert result.parts["relevance"] == round(POLICY.relevance_weight / 3, 6)
    assert result.total == round(POLICY.relevance_weight / 3, 6)
