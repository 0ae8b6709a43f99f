"""Spanish phrasings: pago por fuera, transferencia directa, descuento si pagas fuera, escríbeme."""

from __future__ import annotations

from services.disputes.domain.off_platform import OffPlatformRule
from shared.contracts.disputes import OffPlatformCategory

from .guards import ON_PLATFORM, REFUSAL, THIRD_PARTY

PAYMENT = OffPlatformCategory.PAYMENT_OUTSIDE
DISCOUNT = OffPlatformCategory.DISCOUNT_FOR_GOING_OUTSIDE
CONTACT = OffPlatformCategory.CONTACT_CHANNEL

_PLATFORM = r"(?:la\s+)?(?:plataforma|trade\s*assurance|tradeguard|alibaba|garant[ií]a|p[aá]gina)"
_APPS = r"(?:whatsapp|wasap|guasap|wechat|telegram|line|signal|skype|viber)"
# A route around escrow, in the condition of a discount; "directo" alone also means a direct shipment.
_OUTSIDE_STRICT = (
    r"(?:por\s+fuera|fuera\s+de\s+"
    + _PLATFORM
    + r"|sin\s+(?:pasar\s+por\s+|usar\s+)?"
    + _PLATFORM
    + r"|western\s+union|paypal|usdt|cripto\w*|bizum|efectivo|(?:a|en)\s+(?:mi|nuestra)\s+cuenta|"
    + _APPS
    + ")"
)
_OUTSIDE = r"(?:" + _OUTSIDE_STRICT + r"|transferencia(?:\s+bancaria)?|directamente|directo|fuera)"
_DISCOUNT = (
    r"(?:(?<![\d.,])\d+(?:[.,]\d+)?\s*%\s*(?:de\s+)?(?:descuento|menos|m[aá]s\s+barato)|descuento|rebaja|"
    r"precio\s+(?:especial|mejor|m[aá]s\s+bajo)|mejor\s+precio|m[aá]s\s+barat[oa]s?|"
    r"ahorr(?:a|as|ar|amos|arte|arnos)\s+(?:la\s+|el\s+)?(?:comisi[oó]n|tarifa|\d+\s*%))"
)

SPANISH: tuple[OffPlatformRule, ...] = (
    OffPlatformRule(
        id="pay_outside_es",
        category=PAYMENT,
        language="es",
        reason="asks to pay outside the platform's protection",
        patterns=(
            r"\bp[aá]g(?:o|os|ar|a|as|ue|ues|amos|ando|arme|arnos|ame|anos)?\s+(?:por\s+)?fuera\b"
            r"(?!\s+de\s+(?:plazo|tiempo|hora|fecha))",
            r"\b(?:por\s+)?fuera\s+de\s+" + _PLATFORM + r"\b",
            r"\bsin\s+(?:pasar\s+por|usar|utilizar)\s+" + _PLATFORM + r"\b",
            r"\b(?:saltar(?:nos)?|evitar|esquivar|omitir)\s+" + _PLATFORM + r"\b",
        ),
        unless_clause_mentions=(
            r"\b(?:hablar|hablemos|conversar|conversaci[oó]n|sigamos|seguimos|contacto|contactar)\b",
        ),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="direct_payment_es",
        category=PAYMENT,
        language="es",
        reason="asks to pay the seller directly or into a private account",
        patterns=(
            r"\btransferencia\s+(?:bancaria\s+)?direct[ao]\b|\bdep[oó]sito\s+directo\b|\bpago\s+directo\b",
            r"\b(?:p[aá]g|transf|deposit|gir)\w*\b[^.!?\n,]{0,30}?\bdirectamente\b",
            r"\bcancel\w*\b[^.!?\n]{0,40}?\bpedido\b[^.!?\n]{0,40}?\bp[aá]g(?:ame|anos|arme|arnos)\b",
            r"\b(?:p[aá]g|transf|deposit|gir|ingres)\w*\b[^.!?\n]{0,25}?\b(?:a|en)\s+(?:mi|nuestra)\s+cuenta\b",
            r"\bcuenta\s+(?:bancaria\s+)?(?:personal|privada|propia|particular|de\s+la\s+empresa|de\s+la\s+f[aá]brica|"
            r"en\s+hong\s+kong)\b|\bmi\s+cuenta\s+bancaria\b",
            r"\b(?:mis|nuestros)\s+datos\s+bancarios\b|\bdatos\s+bancarios\s+(?:abajo|a\s+continuaci[oó]n|son)\b",
            r"\bamigos\s+y\s+familia(?:res)?\b|\b(?:pag\w*|en)\s+(?:en\s+)?efectivo\b|\bcriptomonedas?\b",
        ),
        unless_clause_mentions=(*ON_PLATFORM, *THIRD_PARTY),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="discount_for_going_outside_es",
        category=DISCOUNT,
        language="es",
        reason="offers a better price for leaving the platform",
        patterns=(
            _DISCOUNT + r"[^.!?\n]{0,50}?\b(?:si|cuando|para|con|pagando|por)\b[^.!?\n]{0,30}?" + _OUTSIDE,
            r"\b(?:si|cuando)\b[^.!?\n]{0,40}?" + _OUTSIDE + r"[^.!?\n]{0,40}?" + _DISCOUNT,
            _OUTSIDE_STRICT + r"[^.!?\n]{0,30}?" + _DISCOUNT,
            r"(?<![\d.,])\d+(?:[.,]\d+)?\s*(?:usd|d[oó]lares|\$)\s+(?:si\s+pagas|pagando)\s+(?:por|con|en)\s+"
            + _OUTSIDE,
            r"\b(?:ahorr\w*|evit\w*|sin|nos\s+ahorramos)\s+(?:la\s+|el\s+|las\s+)?(?:comisi[oó]n(?:es)?|tarifas?|cargos?)"
            r"\s+(?:de\s+)?" + _PLATFORM,
        ),
        unless_clause_mentions=ON_PLATFORM,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="contact_elsewhere_es",
        category=CONTACT,
        language="es",
        reason="asks to continue the conversation outside the platform",
        patterns=(
            r"\b(?:escr[ií]be(?:me|nos)|cont[aá]cta(?:me|nos)|agr[eé]ga(?:me|nos)|a[nñ][aá]de(?:me|nos)|h[aá]bla(?:me|nos)|"
            r"ll[aá]ma(?:me|nos)|m[aá]nda(?:me|nos)\s+un\s+mensaje|env[ií]a(?:me|nos)\s+un\s+mensaje|b[uú]sca(?:me|nos))\b"
            r"[^.!?\n]{0,15}?\b(?:por|al|en|a|v[ií]a)\s+(?:mi\s+)?(?:"
            + _APPS[3:-1]
            + r"|correo|email|e-mail|"
            r"tel[eé]fono|celular|m[oó]vil|n[uú]mero)\b",
            r"\bmi\s+(?:line|signal|correo(?:\s+personal)?|email|e-mail|tel[eé]fono|celular|m[oó]vil|"
            r"n[uú]mero(?:\s+personal)?)\b(?!\s+de\s+(?:pedido|orden|seguimiento|factura|gu[ií]a|cuenta))",
            r"\b(?:p[aá]same|dame|d[eé]jame|env[ií]ame|m[aá]ndame|comp[aá]rteme|cu[aá]l\s+es)\s+(?:tu|su)\s+"
            r"(?:correo|email|tel[eé]fono|celular|n[uú]mero|contacto)",
            r"\b(?:hablar|hablemos|conversar|conversemos|seguir|seguimos|sigamos|continuar|continuemos|tratar)\b"
            r"[^.!?\n]{0,25}?"
            r"\b(?:en\s+privado|por\s+privado|por\s+fuera|fuera\s+de\s+(?:la\s+plataforma|aqu[ií]))",
        ),
        unless_preceded_by=REFUSAL,
    ),
)
