"""Keyword tokens: listings and queries are tokenised alike, so a query word matches a listing word."""

from __future__ import annotations

from services.catalog.domain.keywords import keywords, query_tokens, share_matched, tokens


def test_tokens_fold_case_accents_punctuation_and_plurals() -> None:
    assert tokens("Stainless-Steel BOTTLES, Crème 750ml") == [
        "stainless",
        "steel",
        "bottle",
        "creme",
        "750ml",
    ]


def test_a_query_and_a_listing_share_the_same_tokens() -> None:
    assert set(query_tokens("bottles steel")) <= set(keywords("Steel bottle", "drinkware"))


def test_query_tokens_put_the_longest_word_first_and_are_capped() -> None:
    assert query_tokens("a steel thermos") == ["thermo", "steel", "a"]
    assert len(query_tokens(" ".join(f"w{i}" for i in range(20)))) == 8


def test_relevance_is_the_share_of_query_words_in_the_field() -> None:
    assert share_matched(["steel", "bottle"], ["steel", "bottle", "lid"]) == 1.0
    assert share_matched(["steel", "bottle"], ["bottle"]) == 0.5
    assert share_matched([], ["bottle"]) == 0.0


def test_plurals_fold_only_in_words_longer_than_three_letters() -> None:
    assert tokens("bus gas bags cups") == ["bus", "gas", "bag", "cup"]
