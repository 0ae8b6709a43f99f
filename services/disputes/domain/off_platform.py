"""Spotting messages that push payment or contact off the platform; the rules are data, not code."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.disputes.domain.conversation import ConversationRecord
from shared.contracts.disputes import MessageFlagged, OffPlatformMatch


class OffPlatformRule(BaseModel):
    """A rule matches when any regex (case-insensitive) or any whole-word keyword phrase occurs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    reason: str
    patterns: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                # pydantic reports only ValueError as a validation error of the rule set
                raise ValueError(f"invalid pattern {pattern!r}: {error}") from error
        return patterns

    def regexes(self) -> tuple[str, ...]:
        phrases = (r"\s+".join(re.escape(word) for word in k.split()) for k in self.keywords)
        return (*self.patterns, *(rf"\b{phrase}\b" for phrase in phrases))


class RuleMatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    reason: str
    excerpt: str


_CHAT_APPS = r"(?:whatsapp|wechat|telegram|skype|viber|signal|line|kakaotalk)"

DEFAULT_RULES: tuple[OffPlatformRule, ...] = (
    OffPlatformRule(
        id="personal_account",
        reason="asks for payment into a personal or private account",
        patterns=(r"\b(?:personal|private|own)\s+(?:bank\s+)?account\b",),
    ),
    OffPlatformRule(
        id="pay_outside_platform",
        reason="asks to pay outside Trade Assurance",
        patterns=(
            r"\b(?:pay|paying|payment|send|transfer|wire)\b[^.!?\n]{0,40}\b(?:directly|outside)\b",
            r"\b(?:outside|off|without|bypass|skip|avoid)\s+(?:the\s+)?(?:platform|trade\s+assurance|escrow)\b",
            r"\boff[-\s]platform\b",
        ),
    ),
    OffPlatformRule(
        id="money_transfer_service",
        reason="names a money-transfer service outside the platform",
        keywords=("western union", "moneygram", "paypal", "bitcoin", "usdt", "crypto wallet"),
    ),
    OffPlatformRule(
        id="chat_app_contact",
        reason="moves the conversation to a chat app",
        patterns=(
            rf"\b(?:add|contact|message|text|call|reach|find|ping)\s+(?:me|us)\s+(?:on|via|at|through|in)\s+{_CHAT_APPS}\b",
            r"\b(?:my|our)\s+(?:whatsapp|wechat|telegram|skype|viber)\b",
            r"\b(?:whatsapp|wechat|telegram|viber)\s*(?:id|number|no\.?|#)?\s*[:=]?\s*\+?\d[\d\s-]{6,}",
        ),
    ),
    OffPlatformRule(
        id="email_address",
        reason="shares an e-mail address for direct contact",
        patterns=(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b",),
    ),
    OffPlatformRule(
        id="phone_number",
        reason="shares a phone number for direct contact",
        patterns=(r"\b(?:call|text|phone|mobile|tel|cell)\b[^.\n]{0,20}?\+?\d[\d\s().-]{7,}\d",),
    ),
)


def detect_off_platform(text: str, rules: Sequence[OffPlatformRule] = DEFAULT_RULES) -> list[RuleMatch]:
    """Every rule the text breaks, once each, in rule order, with the text that matched."""
    matches: list[RuleMatch] = []
    for rule in rules:
        for regex in rule.regexes():
            found = re.search(regex, text, flags=re.IGNORECASE)
            if found:
                matches.append(RuleMatch(rule_id=rule.id, reason=rule.reason, excerpt=found.group(0)))
                break
    return matches


def flag_message(
    record: ConversationRecord, rules: Sequence[OffPlatformRule] = DEFAULT_RULES
) -> list[MessageFlagged]:
    """The event that warns the buyer when a message breaks a rule; none for a clean message."""
    matches = detect_off_platform(record.body, rules)
    if not matches:
        return []
    flagged = MessageFlagged(
        order_id=record.order_id,
        seq=record.seq,
        author_id=record.author_id,
        matches=tuple(OffPlatformMatch(rule_id=m.rule_id, reason=m.reason) for m in matches),
        flagged_at=record.created_at,
    )
    return [flagged]
