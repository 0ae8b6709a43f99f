"""A labelled corpus of order-conversation messages, and how well the off-platform detector reads it.

One file per language (`en.jsonl`, `zh.jsonl`, `es.jsonl`), one message a line:
`{"text": ..., "categories": [...]}`, the categories a careful mediator would flag, none for a clean one.
- `contact_channel`: gives or asks for a way to talk outside the platform (a chat app, an e-mail
  address, a phone number, "let's talk privately").
- `payment_outside`: proposes paying or dealing outside escrow: an account of the seller, a transfer
  service, crypto, cash, "pay directly", "outside the platform". A bank transfer alone is not: it is one
  of the platform's own payment methods.
- `discount_for_going_outside`: offers a better price for paying or talking outside.
Run `python -m tests.unit.disputes.off_platform_corpus` for the figures.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.disputes.domain.off_platform import OffPlatformRule, detect_off_platform
from shared.contracts.disputes import OffPlatformCategory

LANGUAGES = ("en", "zh", "es")
_HERE = Path(__file__).parent


@dataclass(frozen=True)
class LabelledMessage:
    language: str
    text: str
    categories: frozenset[OffPlatformCategory]


def load_corpus() -> list[LabelledMessage]:
    messages = []
    for language in LANGUAGES:
        for line in (_HERE / f"{language}.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            categories = frozenset(OffPlatformCategory(c) for c in entry["categories"])
            messages.append(LabelledMessage(language, entry["text"], categories))
    return messages


@dataclass
class Score:
    """Counted per message and category: a message flagged in a category it is labelled with is a hit."""

    hits: int = 0
    false_alarms: int = 0
    misses: int = 0

    @property
    def precision(self) -> float:
        flagged = self.hits + self.false_alarms
        return self.hits / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        labelled = self.hits + self.misses
        return self.hits / labelled if labelled else 1.0


@dataclass
class Report:
    by_category: dict[OffPlatformCategory, Score] = field(
        default_factory=lambda: {category: Score() for category in OffPlatformCategory}
    )
    by_language: dict[str, Score] = field(
        default_factory=lambda: {language: Score() for language in LANGUAGES}
    )
    overall: Score = field(default_factory=Score)
    errors: list[str] = field(default_factory=list)


def measure(corpus: Sequence[LabelledMessage], rules: Sequence[OffPlatformRule]) -> Report:
    report = Report()
    for message in corpus:
        found = {flag.category for flag in detect_off_platform(message.text, rules)}
        for category in OffPlatformCategory:
            flagged, labelled = category in found, category in message.categories
            for score in (report.by_category[category], report.by_language[message.language], report.overall):
                score.hits += flagged and labelled
                score.false_alarms += flagged and not labelled
                score.misses += labelled and not flagged
            if flagged != labelled:
                kind = "false alarm" if flagged else "miss"
                report.errors.append(f"{kind} [{category}] {message.text}")
    return report


def report_lines(corpus: Sequence[LabelledMessage], report: Report) -> list[str]:
    sizes = {language: sum(m.language == language for m in corpus) for language in LANGUAGES}
    rows = [
        *((str(category), report.by_category[category]) for category in OffPlatformCategory),
        *(
            (f"language {language} ({sizes[language]} messages)", report.by_language[language])
            for language in LANGUAGES
        ),
        (f"overall ({len(corpus)} messages)", report.overall),
    ]
    lines = [f"{'':45} precision  recall  hits  false alarms  misses"]
    lines += [
        f"{name:45} {s.precision:9.3f} {s.recall:7.3f} {s.hits:5} {s.false_alarms:13} {s.misses:7}"
        for name, s in rows
    ]
    return [*lines, *report.errors]
