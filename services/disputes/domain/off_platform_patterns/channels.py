"""Contact channels written the same in every language: chat apps, e-mail addresses, phone numbers."""

from __future__ import annotations

from services.disputes.domain.off_platform import OffPlatformRule
from shared.contracts.disputes import OffPlatformCategory

from .guards import LATIN_END, LATIN_START, ORDER_REFERENCE, PRODUCT_TALK, REFUSAL

CONTACT = OffPlatformCategory.CONTACT_CHANNEL

CHANNELS: tuple[OffPlatformRule, ...] = (
    OffPlatformRule(
        id="chat_app",
        category=CONTACT,
        reason="moves the conversation to a chat app",
        patterns=(
            # "WhatsApp", "whats app", "what's app", "watsap"; Spanish "wasap", "guasap"
            LATIN_START + r"(?:w(?:h)?at'?s?\s?app?|wasap|guasap|wsp)" + LATIN_END,
            LATIN_START
            + r"(?:we-?chat(?!\s*pay)|weixin|telegram|viber|skype|kakao(?:\s?talk)?|zalo)"
            + LATIN_END,
            r"\b(?:wa\.me|t\.me)/\w+",
            r"微信(?!支付|转账|付款|红包|钱包)|威信|薇信|[vV]信|(?<![a-z])(?:vx|wx)(?![a-z0-9])|(?<![a-z])qq(?![a-z.])|扣扣|电报",
            r"(?<![a-z])line\s?(?:id|号)\b|line号",
        ),
        unless_clause_mentions=PRODUCT_TALK,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="email_address",
        category=CONTACT,
        reason="shares an e-mail address for direct contact",
        patterns=(
            # The platform's own addresses are where it wants the parties to write.
            # a name starts where no name character precedes it (and the search stays linear)
            r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+\s?[@＠]\s?(?!tradeguard\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
            r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*(?:gmail|yahoo|hotmail|outlook|qq|163|126|"
            r"icloud|foxmail|protonmail|aliyun|sina)\s*(?:\.|\[dot\]|\(dot\)|\s+dot\s+)\s*(?:com|cn|net)\b",
        ),
    ),
    OffPlatformRule(
        id="phone_number",
        category=CONTACT,
        reason="shares a phone number for direct contact",
        patterns=(
            # International form: "+86 138 0013 8000", "+1 (415) 555-0134", "0086 755 8888 1234"
            r"(?<![\w+])[+＋]\s?\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{3,4}){1,3}(?!\d)",
            r"(?<![\w+])00\d{1,3}[\s-]?\d{2,4}(?:[\s.-]?\d{3,4}){2,3}(?!\d)",
            # A mainland mobile number on its own: "13800138000", "138-0013-8000"
            r"(?<![a-z0-9#/+-])1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9])",
            # A number after a word for phone: "call me on 0755 8888 1234", "电话：0755-88881234"
            r"\b(?:call|text|phone|tel|mobile|cell|ring|sms|whatsapp|ll[aá]m(?:ame|anos)|tel[eé]fono|m[oó]vil|"
            r"celular)\b(?:\s+(?:me|us|number|no\.?|num|is|al|on|at|es))*\s*[:：#]?\s*[+＋]?\(?\d[\d\s().-]{6,}\d",
            r"(?:电话|手机|手机号|联系电话|座机|微信同号)(?:号码)?(?:是)?\s*[:：]?\s*\d[\d\s-]{6,}\d",
        ),
        unless_clause_mentions=ORDER_REFERENCE,
    ),
)
