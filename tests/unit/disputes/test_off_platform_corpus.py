"""The off-platform detector measured on a labelled corpus of realistic messages in English, Chinese and
Spanish: precision and recall at least 0.95 per category and overall (`pytest -s` prints the figures)."""

from __future__ import annotations

import pytest

from services.disputes.domain.off_platform import detect_off_platform
from services.disputes.domain.off_platform_patterns import DEFAULT_RULES
from shared.contracts.disputes import OffPlatformCategory
from tests.unit.disputes.off_platform_corpus import LANGUAGES, load_corpus, measure, report_lines

CORPUS = load_corpus()
REPORT = measure(CORPUS, DEFAULT_RULES)
FLOOR = 0.95


def test_the_corpus_holds_at_least_300_messages_with_positives_and_negatives_in_each_language() -> None:
    assert len(CORPUS) >= 300
    for language in LANGUAGES:
        messages = [m for m in CORPUS if m.language == language]
        assert sum(not m.categories for m in messages) >= 20, language
        for category in OffPlatformCategory:
            assert sum(category in m.categories for m in messages) >= 5, (language, category)


def test_the_corpus_includes_the_platforms_own_payment_as_negatives() -> None:
    own_payment = [
        m
        for m in CORPUS
        if not m.categories and any(word in m.text for word in ("Trade Assurance", "信保", "平台"))
    ]
    assert len(own_payment) >= 30


def test_detection_precision_and_recall_are_at_least_95_percent_overall() -> None:
    print("\n" + "\n".join(report_lines(CORPUS, REPORT)))
    assert REPORT.overall.precision >= FLOOR, REPORT.errors
    assert REPORT.overall.recall >= FLOOR, REPORT.errors


@pytest.mark.parametrize("category", list(OffPlatformCategory))
def test_detection_precision_and_recall_are_at_least_95_percent_per_category(
    category: OffPlatformCategory,
) -> None:
    score = REPORT.by_category[category]
    assert score.precision >= FLOOR, REPORT.errors
    assert score.recall >= FLOOR, REPORT.errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_detection_precision_and_recall_are_at_least_95_percent_per_language(language: str) -> None:
    score = REPORT.by_language[language]
    assert score.precision >= FLOOR, REPORT.errors
    assert score.recall >= FLOOR, REPORT.errors


def test_every_flag_on_the_corpus_names_its_category_and_span() -> None:
    for message in CORPUS:
        for flag in detect_off_platform(message.text, DEFAULT_RULES):
            assert flag.category in OffPlatformCategory
            assert message.text[flag.span.start : flag.span.end] == flag.span.text != ""
