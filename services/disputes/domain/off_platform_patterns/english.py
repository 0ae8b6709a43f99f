"""English phrasings: paying outside the platform, a discount for it, moving the talk elsewhere."""

from __future__ import annotations

from services.disputes.domain.off_platform import OffPlatformRule
from shared.contracts.disputes import OffPlatformCategory

from .guards import (
    CRYPTO_PRODUCT,
    LATIN_END,
    LATIN_START,
    ON_PLATFORM,
    PRODUCT_TALK,
    REFUSAL,
    THIRD_PARTY_EN_ES,
)

PAYMENT = OffPlatformCategory.PAYMENT_OUTSIDE
DISCOUNT = OffPlatformCategory.DISCOUNT_FOR_GOING_OUTSIDE
CONTACT = OffPlatformCategory.CONTACT_CHANNEL

_PLATFORM = r"(?:the\s+)?(?:platform|trade\s*assurance|tradeguard|escrow|alibaba|site|website)"
_PAY = r"\b(?:pay|paying|paid|payment|send|sending|transfer|wire|remit|t/t|deposit)\b"
# A route around escrow, as it appears in the condition of a discount.
_OUTSIDE = (
    r"(?:bank\s+transfer|wire(?:\s+transfer)?|t/t|\btt\b|pay(?:ing)?\s+(?:me\s+|us\s+)?direct(?:ly)?|"
    r"direct\s+(?:payment|transfer)|outside|off[-\s]platform|without\s+" + _PLATFORM + r"|"
    r"skip(?:ping)?\s+" + _PLATFORM + r"|western\s+union|moneygram|paypal|usdt|crypto|bitcoin|cash|"
    r"whatsapp|wechat|telegram|private(?:ly)?|personal\s+account|(?:our|my)\s+(?:\w+\s+)?account|offline)"
)
# The same routes, without those that are also ordinary platform payment methods (a bank transfer).
_OUTSIDE_STRICT = (
    r"(?:pay(?:ing)?\s+(?:me\s+|us\s+)?direct(?:ly)?|direct\s+payment|outside|off[-\s]platform|without\s+"
    + _PLATFORM
    + r"|skip(?:ping)?\s+"
    + _PLATFORM
    + r"|western\s+union|moneygram|paypal|alipay|usdt|crypto|"
    r"bitcoin|cash|whatsapp|wechat|telegram|skype|privately|(?:personal|company|private)\s+account|offline)"
)
_DISCOUNT = (
    r"(?:(?<![\d.])\d+(?:\.\d+)?\s*%\s*(?:off|discount|less|lower|cheaper)|discount|cheaper|better\s+price|lower\s+price|"
    r"best\s+price|special\s+price|reduce\s+(?:the\s+)?price|knock\s+off|save\s+(?:you\s+)?\d+\s*%)"
)

ENGLISH: tuple[OffPlatformRule, ...] = (
    OffPlatformRule(
        id="personal_account",
        category=PAYMENT,
        language="en",
        reason="asks for payment into an account of the seller instead of escrow",
        patterns=(
            r"\b(?:personal|private|own|company|factory|corporate|hk|hong\s+kong|other|another|new|boss'?s?)"
            r"\s+(?:bank\s+)?(?:account|acct)\b(?!\s+(?:manager|executive|rep))",
            _PAY + r"[^.!?\n]{0,30}?\b(?:to|into|in)\s+(?:my|our)\s+(?:\w+\s+){0,2}?(?:account|acct|card)\b",
            r"\b(?:our|my)\s+bank\s+(?:details|info|information|account)\b",
            r"\baccount\s+of\s+(?:our|my|the)\s+(?:\w+\s+){0,2}?(?:company|factory|boss|partner|friend|agent|director)\b",
            r"\bbank\s+(?:details|info|information)\s+(?:below|attached|as\s+follows|in\s+the\s+pi)\b",
            r"\bbeneficiary\s+(?:bank|name|account)\b|\bswift\s+code\b|\biban\b",
        ),
        unless_clause_mentions=ON_PLATFORM,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="direct_payment",
        category=PAYMENT,
        language="en",
        reason="asks to pay the seller directly",
        patterns=(
            # the payee must not be a third party of the trade: "pay your forwarder directly" is fine
            _PAY + r"(?:(?!" + THIRD_PARTY_EN_ES + r")[^.!?\n,]){0,40}?\bdirect(?:ly)?\b",
            r"\bdirect\s+(?:payment|bank\s+transfer|transfer|wire|t/t|deposit)\b",
            r"\bcancel\b[^.!?\n]{0,30}\border\b[^.!?\n]{0,30}\b(?:pay|send|transfer)\s+(?:me|us|directly)\b",
        ),
        unless_clause_mentions=(*ON_PLATFORM, THIRD_PARTY_EN_ES),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="outside_platform",
        category=PAYMENT,
        language="en",
        reason="asks to deal outside the platform's protection",
        patterns=(
            r"\b(?:outside|off|bypass(?:ing)?|skip(?:ping)?|circumvent(?:ing)?|avoid(?:ing)?|without|"
            r"not\s+(?:through|via|on)|instead\s+of)\s+(?:of\s+)?" + _PLATFORM + r"\b"
            r"(?!\s*(?:'s\s+)?(?:fees?|commission|charges?|chat|messages?))",
            r"\boff[-\s]?platform\b",
            r"\b(?:pay|paying|order|ordering|deal|trade)\s+outside\b(?!\s+(?:of\s+)?(?:the\s+)?(?:eu|us|china|"
            r"business|working|office|the\s+(?:eu|us)))",
            r"\b(?:don'?t|do\s+not|no\s+need\s+(?:to|for))\s+(?:need\s+|use\s+|go\s+through\s+|pay\s+(?:through|via|on)\s+)?"
            r"(?:the\s+)?(?:platform|trade\s*assurance|escrow)\b",
            r"\b(?:order|buy|purchase|pay)\b[^.!?\n]{0,20}\b(?:on|from|via|through)\s+our\s+(?:own\s+)?"
            r"(?:website|site|web\s*shop|online\s+store|shop)\b",
        ),
        # "talk outside the platform" moves the conversation, not the money
        unless_clause_mentions=(r"\b(?:talk|chat|speak|discuss|continue|contact|call|message)\b",),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="money_transfer_service",
        category=PAYMENT,
        language="en",
        reason="names a way to pay that bypasses escrow",
        patterns=(
            LATIN_START
            + r"(?:western\s+union|moneygram|paypal|payoneer|remitly|zelle|venmo|cash\s*app|skrill|"
            r"alipay|we-?chat\s*pay|bizum|mercado\s*pago)" + LATIN_END,
            r"\b(?:friends\s+(?:and|&)\s+family|f\s?&\s?f)\b",
            LATIN_START
            + r"(?:bitcoin|btc|usdt|tether|crypto(?:currency)?|ethereum|trc-?20|erc-?20|binance(?:\s+pay)?)"
            + LATIN_END,
            r"\bwallet\s+address\b",
        ),
        unless_clause_mentions=(*ON_PLATFORM, *CRYPTO_PRODUCT, *PRODUCT_TALK),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="cash_payment",
        category=PAYMENT,
        language="en",
        reason="asks for cash instead of escrow",
        patterns=(
            r"\b(?:pay|paid|payment)\s+(?:in\s+|by\s+|with\s+)?cash\b|\bcash\s+(?:payment|deposit|in\s+hand)\b",
        ),
        unless_clause_mentions=ON_PLATFORM,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="discount_for_going_outside",
        category=DISCOUNT,
        language="en",
        reason="offers a better price for leaving the platform",
        patterns=(
            _DISCOUNT + r"[^.!?\n]{0,50}?\b(?:if|when|for|by|with|should|via)\b[^.!?\n]{0,30}?" + _OUTSIDE,
            r"\b(?:if|when)\b[^.!?\n]{0,40}?" + _OUTSIDE + r"[^.!?\n]{0,40}?" + _DISCOUNT,
            r"\bfor\s+(?:a\s+|an\s+|the\s+)?" + _DISCOUNT + r"[^.!?\n]{0,40}?" + _OUTSIDE,
            _OUTSIDE_STRICT + r"[^.!?\n]{0,60}?" + _DISCOUNT,
            # a lower price quoted for an outside route: "2.80 USD if paid by TT, 2.95 through the platform"
            r"(?<![\d.])\d+(?:\.\d+)?\s*(?:usd|us\$|\$|dollars?)\s+(?:if|when)\s+(?:paid|you\s+pay|paying)\s+(?:by|via|with|in)\s+"
            + _OUTSIDE,
            r"\b(?:save|saving|avoid|skip|no|without|don'?t\s+pay|cut)\s+(?:the\s+|on\s+)?(?:\d+(?:\.\d+)?\s*%\s+)?"
            r"(?:platform|trade\s*assurance|ta|escrow|alibaba|tradeguard)(?:'s)?\s+(?:fees?|commission|charges?|cut)\b",
            r"\b(?:platform|trade\s*assurance|escrow)\b[^.!?\n]{0,30}?\b(?:fees?|commission)\b[^.!?\n]{0,40}?"
            r"\b(?:save|saved|avoid|skip|split|share|cheaper|discount|without\s+it)\b",
        ),
        unless_clause_mentions=ON_PLATFORM,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="contact_elsewhere",
        category=CONTACT,
        language="en",
        reason="asks to continue the conversation outside the platform",
        patterns=(
            r"\b(?:add|contact|message|msg|text|call|reach|find|ping|chat\s+with|talk\s+to|dm|write\s+to|email)"
            r"\s+(?:me|us)\s+(?:on|via|at|through|in|by|over|using)\s+(?:line|signal|e-?mail|gmail|phone|"
            r"my\s+(?:personal\s+)?(?:email|phone|mobile|number))\b",
            r"\b(?:my|our)\s+(?:line|signal)\s*(?:id|is|account|number|[:：])",
            r"\b(?:send|give|share|leave|tell|drop)\s+(?:me|us)\s+(?:your\s+)?(?:personal\s+|private\s+|direct\s+)?"
            r"(?:e-?mail|phone|mobile|cell|whatsapp|wechat|contact\s+(?:number|details|info))",
            r"\b(?:send|give|share|leave|tell|drop)\s+(?:(?:me|us)\s+)?(?:your\s+)?(?:personal|private|direct)\s+"
            r"(?:e-?mail|phone|mobile|cell|number|contact)",
            r"\b(?:talk|chat|speak|discuss|continue|communicate)\b[^.!?\n]{0,25}?\b(?:privately|in\s+private|"
            r"offline|off[-\s]platform|outside\s+(?:of\s+)?(?:the\s+)?(?:platform|site|app|here|tradeguard)|"
            r"by\s+phone|by\s+e-?mail)\b",
        ),
        unless_preceded_by=REFUSAL,
    ),
)
