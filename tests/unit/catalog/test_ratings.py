"""Rating aggregates are running averages kept exact as integer sums."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.catalog.domain.ratings import RatingAggregate, add_rating, replace_rating
from shared.contracts.catalog import Rating


def rating(stars: int, quality: int = 3, service: int = 3, delivery: int = 3) -> Rating:
    return Rating(stars=stars, quality=quality, service=service, delivery=delivery)


def test_an_empty_aggregate_has_no_average() -> None:
    assert RatingAggregate().stars is None


def test_adding_ratings_updates_the_running_average() -> None:
    aggregate = add_rating(add_rating(add_rating(RatingAggregate(), rating(5)), rating(4)), rating(4))
    assert aggregate.count == 3
    assert aggregate.stars == 4.33
    assert aggregate.quality == 3.0


def test_an_edit_replaces_the_previous_rating_without_changing_the_count() -> None:
    # given two ratings of 5 and 3
    aggregate = add_rating(add_rating(RatingAggregate(), rating(5, delivery=5)), rating(3, delivery=1))
    # when the 3-star review is edited to 1 star
    edited = replace_rating(aggregate, rating(3, delivery=1), rating(1, delivery=1))
    # then the average moves and the count stays
    assert (edited.count, edited.stars, edited.delivery) == (2, 3.0, 3.0)


@pytest.mark.parametrize("stars", [0, 6])
def test_stars_are_between_1_and_5(stars: int) -> None:
    with pytest.raises(ValidationError):
        rating(stars)


def test_every_sub_score_has_its_own_running_average() -> None:
    aggregate = add_rating(add_rating(RatingAggregate(), rating(5, 4, 3, 2)), rating(4, 2, 5, 4))
    assert (aggregate.stars, aggregate.quality, aggregate.service, aggregate.delivery) == (4.5, 3.0, 4.0, 3.0)
