"""What excuses a match, shared by the languages: the platform's own payment, a refusal, product talk.

A guard is searched in the clause around a match with the matched words taken out, so "pay through
Trade Assurance" excuses "pay directly" in the same clause while "outside Trade Assurance" stays flagged.
"""

from __future__ import annotations

# The platform's own payment and escrow, in each language ("via the platform's escrow", "通过信保付款",
# "a través de la plataforma"); a negation just before it ("instead of", "不走", "sin pasar") undoes it.
ON_PLATFORM = (
    r"(?<!instead of )(?<!rather than )(?<!not )(?<!outside )\b(?:through|via|on|using|with|in|into|by)"
    r"\s+(?:the\s+)?(?:trade\s*assurance|tradeguard|platform|escrow)\b",
    r"\b(?:trade\s*assurance|tradeguard'?s?|the\s+platform'?s?)\s+(?:order|payment|escrow|checkout|link|"
    r"bank\s+account|account|invoice|payment\s+page)\b",
    r"(?<!不)(?<!别)(?<!绕过)(?<!绕开)(?<!不用)(?<!不要)(?:通过|经过|经由|走|用|在|使用)"
    r"(?:平台|阿里信保|信保|担保交易|tradeguard|trade\s*assurance)(?!外|以外|之外)",
    r"(?:平台|信保)(?:上|内)?的?(?:订单|担保|收款账户|付款链接)|信保(?:订单|付款|支付)",
    r"(?<!sin pasar )(?<!no )\b(?:a\s+trav[eé]s\s+de|por\s+medio\s+de|mediante|por|en|con|dentro\s+de|v[ií]a)"
    r"\s+(?:la\s+plataforma|trade\s*assurance|tradeguard|el\s+escrow|la\s+garant[ií]a)\b",
)

# Names written in Latin letters inside Chinese text have no word boundary ("接受USDT付款").
LATIN_START = r"(?<![a-z0-9])"
LATIN_END = r"(?![a-z0-9])"

# A refusal or warning before the match: "never pay outside", "请不要私下付款", "no aceptamos PayPal".
REFUSAL = (
    r"(?<!why )\b(?:never|not|don'?t|do\s+not|doesn'?t|won'?t|will\s+not|cannot|can'?t|refuse\s+to|"
    r"shouldn'?t|should\s+not|must\s+not|beware\s+of|warned)\b",
    r"(?:不要|别|切勿|请勿|(?<!会)不会|(?<!能)不能|(?<!可)不可以|不接受|不支持|拒绝|禁止|严禁|不允许|谨防|警惕|小心|没有)",
    r"\b(?:no|nunca|jam[aá]s|tampoco|prohibido|cuidado\s+con)\b",
)

# Money paid to a third party of the trade (a forwarder, customs, an inspection agency) is not a way
# around escrow: "under FOB you pay your forwarder directly".
THIRD_PARTY_EN_ES = (
    r"\b(?:forwarder|carrier|courier|dhl|fedex|ups|customs|duties|duty|taxes|tax|vat|sgs|inspection|"
    r"agent|port|transportista|agente|aduana|impuestos|arancel(?:es)?)\b"
)
THIRD_PARTY = (
    THIRD_PARTY_EN_ES,
    r"(?:货代|快递|物流|海关|关税|税费|验货|检验)",
)

# App names in product descriptions: "WhatsApp-like packaging", "phones with WeChat pre-installed".
PRODUCT_TALK = (
    r"\x00\s*-?\s*(?:like|style|styled|compatible|themed|shaped|inspired|logo|icon|sticker)s?\b",
    r"\b(?:pre-?installed|compatible|supports|integration|api|notifications?|preinstalad[oa]s?|"
    r"compatibles?|icono|soporta|mini[-\s]?programs?)\b",
    r"(?:预装|兼容|支持|图标|风格|小程序)",
)

# Mining machines are products, not a way to pay.
CRYPTO_PRODUCT = (r"\b(?:miners?|mining|rigs?|hash\s*rate|antminer|asic|miner[ií]a)\b|矿机|挖矿",)

# Digits that name an order, a parcel or an item, not a phone.
ORDER_REFERENCE = (
    r"\b(?:order|po|p/o|invoice|tracking|waybill|awb|sku|model|item|batch|lot|ref|hs|pedido|orden|"
    r"factura|seguimiento|gu[ií]a|modelo|referencia|lote)\b",
    r"(?:订单|单号|运单|快递单|发票|型号|货号|批次|编号)",
)
