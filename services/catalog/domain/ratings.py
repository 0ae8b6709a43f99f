"""Star ratings, what they rate, and their running aggregates (kept as exact integer sums)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.catalog import Rating


class RatingAggregate(BaseModel):
    """Sums and count of the ratings of one target; averages are derived so edits never drift."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    count: int = Field(default=0, ge=0)
    stars_sum: int = Field(default=0, ge=0)
    quality_sum: int = Field(default=0, ge=0)
    service_sum: int = Field(default=0, ge=0)
    delivery_sum: int = Field(default=0, ge=0)

    def _average(self, total: int) -> float | None:
        return round(total / self.count, 2) if self.count else None

    @property
    def stars(self) -> float | None:
        return self._average(self.stars_sum)

    @property
    def quality(self) -> float | None:
        return self._average(self.quality_sum)

    @property
    def service(self) -> float | None:
        return self._average(self.service_sum)

    @property
    def delivery(self) -> float | None:
        return self._average(self.delivery_sum)


def add_rating(aggregate: RatingAggregate, rating: Rating) -> RatingAggregate:
    return _shifted(aggregate, rating, count=1, sign=1)


def replace_rating(aggregate: RatingAggregate, previous: Rating, rating: Rating) -> RatingAggregate:
    """An edited review swaps its old rating for the new one; the count stays."""
    return add_rating(_shifted(aggregate, previous, count=-1, sign=-1), rating)


def _shifted(aggregate: RatingAggregate, rating: Rating, count: int, sign: int) -> RatingAggregate:
    return RatingAggregate(
        count=aggregate.count + count,
        stars_sum=aggregate.stars_sum + sign * rating.stars,
        quality_sum=aggregate.quality_sum + sign * rating.quality,
        service_sum=aggregate.service_sum + sign * rating.service,
        delivery_sum=aggregate.delivery_sum + sign * rating.delivery,
    )
