"""Search ranking: a pure, explainable score boosting Verified Pro, then Verified, then rating and on-time."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from services.catalog.domain.policy import RankingPolicy


class RankingSignals(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    relevance: float = Field(default=0.0, ge=0.0, description="Text relevance from the search index.")
    verified: bool = False
    verified_pro: bool = False
    rating: float | None = Field(default=None, ge=0.0, le=5.0)
    on_time_bps: int | None = Field(default=None, ge=0, le=10_000)


class RankingScore(BaseModel):
    """The total and its parts, shown as-is with `explain=true`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    total: float
    parts: dict[str, float]


def rank_score(signals: RankingSignals, policy: RankingPolicy) -> RankingScore:
    # Verified Pro replaces the Verified boost rather than adding to it, so each part stays readable.
    parts = {
        "relevance": policy.relevance_weight * signals.relevance,
        "verified_pro": policy.verified_pro_boost if signals.verified_pro else 0.0,
        "verified": policy.verified_boost if signals.verified and not signals.verified_pro else 0.0,
        "rating": policy.rating_weight * (signals.rating or 0.0) / 5,
        "on_time": policy.on_time_weight * (signals.on_time_bps or 0) / 10_000,
    }
    return RankingScore(total=round(sum(parts.values()), 6), parts={k: round(v, 6) for k, v in parts.items()})
