"""Spotting messages that push payment or contact off the platform; the rules are data, not code.

The rule set itself lives in `off_platform_patterns` (categories → per-language patterns).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.disputes.domain.conversation import ConversationRecord
from shared.contracts.disputes import MatchedSpan, MessageFlagged, OffPlatformCategory, OffPlatformMatch


class OffPlatformRule(BaseModel):
    """A rule matches where a regex (case-insensitive) or a whole-word keyword phrase occurs, unless its
    clause mentions something in `unless_clause_mentions` (the platform's own payment, a product spec)
    or the clause before the match something in `unless_preceded_by` (a refusal: "never", "不要")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: OffPlatformCategory
    # ISO 639-1 code of the language the patterns are written in; "any" for names, numbers, addresses.
    language: str = Field(default="any", pattern=r"^(?:any|[a-z]{2})$")
    reason: str
    patterns: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unless_clause_mentions: tuple[str, ...] = ()
    unless_preceded_by: tuple[str, ...] = ()

    @field_validator("patterns", "unless_clause_mentions", "unless_preceded_by")
    @classmethod
    def _patterns_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                _compiled(pattern)
            except re.error as error:
                # pydantic reports only ValueError as a validation error of the rule set
                raise ValueError(f"invalid pattern {pattern!r}: {error}") from error
        return patterns

    def regexes(self) -> tuple[str, ...]:
        phrases = (r"\s+".join(re.escape(word) for word in k.split()) for k in self.keywords)
        return (*self.patterns, *(rf"\b{phrase}\b" for phrase in phrases))


class OffPlatformFlag(BaseModel):
    """One stretch of a message that breaks a rule: which rule, in which category, and where."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    category: OffPlatformCategory
    reason: str
    span: MatchedSpan

    def as_match(self) -> OffPlatformMatch:
        return OffPlatformMatch(
            rule_id=self.rule_id, reason=self.reason, category=self.category, span=self.span
        )


# A clause ends at sentence punctuation, a semicolon, a comma or a line break ("1,000" and "5.5" do not).
_CLAUSE_BREAK = re.compile(r"[!?;\n。！？；，]|[.,](?=\s|$)")


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, flags=re.IGNORECASE)


def detect_off_platform(text: str, rules: Sequence[OffPlatformRule]) -> list[OffPlatformFlag]:
    """Every stretch of `text` that breaks a rule, in reading order; overlapping stretches of one
    category are reported once (the earliest, then the longest)."""
    found = sorted(_matches(text, rules), key=lambda flag: (flag.span.start, -flag.span.end))
    kept: list[OffPlatformFlag] = []
    for flag in found:
        # Every kept flag starts no later than this one (reading order), so they overlap exactly when
        # this one starts before a kept one ends; stretches that merely touch are two flags.
        if not any(other.category is flag.category and flag.span.start < other.span.end for other in kept):
            kept.append(flag)
    return kept


def _matches(text: str, rules: Sequence[OffPlatformRule]) -> Iterator[OffPlatformFlag]:
    for rule in rules:
        for regex in rule.regexes():
            for found in _compiled(regex).finditer(text):
                start, end = found.span()
                if end > start and not _dismissed(rule, text, start, end):
                    span = MatchedSpan(start=start, end=end, text=found.group(0))
                    yield OffPlatformFlag(
                        rule_id=rule.id, category=rule.category, reason=rule.reason, span=span
                    )


def _dismissed(rule: OffPlatformRule, text: str, start: int, end: int) -> bool:
    """Whether the match's own clause excuses it; the matched words themselves never do."""
    breaks_before = [b.end() for b in _CLAUSE_BREAK.finditer(text, 0, start)]
    clause_start = breaks_before[-1] if breaks_before else 0
    break_after = _CLAUSE_BREAK.search(text, end)
    clause_end = break_after.start() if break_after else len(text)
    before, after = text[clause_start:start], text[end:clause_end]
    rest = f"{before} \x00 {after}"
    return any(_compiled(p).search(rest) for p in rule.unless_clause_mentions) or any(
        _compiled(p).search(before) for p in rule.unless_preceded_by
    )


def flag_message(record: ConversationRecord, rules: Sequence[OffPlatformRule]) -> list[MessageFlagged]:
    """The event that warns the buyer when a message breaks a rule; none for a clean message."""
    flags = detect_off_platform(record.body, rules)
    if not flags:
        return []
    flagged = MessageFlagged(
        order_id=record.order_id,
        seq=record.seq,
        author_id=record.author_id,
        matches=tuple(flag.as_match() for flag in flags),
        flagged_at=record.created_at,
    )
    return [flagged]
