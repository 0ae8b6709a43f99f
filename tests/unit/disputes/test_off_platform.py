"""Messages pushing off-platform payment or contact are flagged with their category and the words that
matched; the platform's own payment and ordinary trade talk are not."""

from __future__ import annotations

import time

import pytest

from services.disputes.domain.conversation import AuthorRole, RecordKind, append
from services.disputes.domain.off_platform import OffPlatformRule, detect_off_platform, flag_message
from services.disputes.domain.off_platform_patterns import DEFAULT_RULES
from shared.contracts.disputes import OffPlatformCategory
from tests.unit.disputes.factories import NOW, SUPPLIER

CONTACT = OffPlatformCategory.CONTACT_CHANNEL
PAYMENT = OffPlatformCategory.PAYMENT_OUTSIDE
DISCOUNT = OffPlatformCategory.DISCOUNT_FOR_GOING_OUTSIDE


def categories(text: str) -> set[OffPlatformCategory]:
    return {flag.category for flag in detect_off_platform(text, DEFAULT_RULES)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Please pay by wire to my personal account, it is faster", PAYMENT),
        ("Western Union is fine for us", PAYMENT),
        ("we accept PayPal friends and family or USDT", PAYMENT),
        ("这个订单我们私下付款吧", PAYMENT),
        ("尾款直接转账给我们", PAYMENT),
        ("Podemos hacer el pago por fuera", PAYMENT),
        ("Haz una transferencia directa a nuestra cuenta", PAYMENT),
        ("add me on WhatsApp", CONTACT),
        ("加我微信：sunny_led88", CONTACT),
        ("Escríbeme al WhatsApp +34 612 345 678", CONTACT),
        ("contact me at lily.chen@gmail.com", CONTACT),
        ("call me on +86 755 8888 1234", CONTACT),
        ("5% off if you pay by bank transfer", DISCOUNT),
        ("绕过平台给你优惠", DISCOUNT),
        ("Descuento si pagas fuera", DISCOUNT),
    ],
)
def test_pushes_off_the_platform_are_flagged_in_their_category(
    text: str, category: OffPlatformCategory
) -> None:
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please pay through Trade Assurance, it protects both of us.",
        "I paid via the platform's escrow this morning.",
        "I'll pay the invoice on Tradeguard tomorrow.",
        "You can pay by bank transfer through Trade Assurance",
        "We offer 2% discount for payment through Trade Assurance within 3 days.",
        "已通过信保付款，请查收。",
        "您可以在平台上直接付款，很安全。",
        "El pago a través de Trade Assurance ya está hecho.",
        "La transferencia bancaria a través de Trade Assurance tarda 2 días.",
    ],
)
def test_paying_through_the_platform_is_never_flagged(text: str) -> None:
    assert detect_off_platform(text, DEFAULT_RULES) == []


@pytest.mark.parametrize(
    "text",
    [
        "We have three product lines: LED panels, strips and drivers.",
        "Signal strength of each router is tested before packing",
        "The telegram-style label is printed on kraft paper.",
        "Gift boxes with WhatsApp-like packaging design",
        "These smartphones come with WhatsApp and WeChat pre-installed.",
        "Our account manager will reply here tomorrow",
        "我们有三条产品线，路由器的信号强度出厂前都测试过。",
        "Tenemos tres líneas de producto; la intensidad de señal se prueba antes del envío.",
    ],
)
def test_ordinary_words_that_sound_like_a_channel_are_not_flagged(text: str) -> None:
    assert detect_off_platform(text, DEFAULT_RULES) == []


@pytest.mark.parametrize(
    "text",
    [
        "Order #2023110588812 has been dispatched.",
        "PO 4500123456 confirmed, 2000 pcs.",
        "The lot number is 138 0013 8000 on every carton label.",
        "运单号：13800138000，顺丰快递。",
        "La factura 13800138 está adjunta para la aduana.",
    ],
)
def test_order_numbers_are_not_phone_numbers(text: str) -> None:
    assert detect_off_platform(text, DEFAULT_RULES) == []


@pytest.mark.parametrize(
    "text",
    [
        "I will never pay outside the platform, sorry.",
        "请不要私下付款，平台会保障您的权益。",
        "No aceptamos Western Union, solo Trade Assurance.",
    ],
)
def test_a_refusal_to_go_outside_is_not_flagged(text: str) -> None:
    assert detect_off_platform(text, DEFAULT_RULES) == []


def test_paying_a_third_party_of_the_trade_directly_is_not_paying_outside() -> None:
    assert (
        detect_off_platform("Under FOB you pay your forwarder directly for the sea freight.", DEFAULT_RULES)
        == []
    )


@pytest.mark.parametrize("text", ["a" * 4000, "1" * 4000, "1 " * 2000, "pay " * 1000, "+1" * 2000])
def test_a_message_of_the_longest_allowed_size_is_screened_quickly(text: str) -> None:
    # A pattern that backtracks on a long run of one character once took seconds per message.
    started = time.perf_counter()
    detect_off_platform(text, DEFAULT_RULES)
    assert time.perf_counter() - started < 1.0


def test_every_flag_names_its_category_and_span() -> None:
    # given a message breaking all three categories
    text = "Add my WeChat, pay by Alipay and I give you 5% off."

    # when
    flags = detect_off_platform(text, DEFAULT_RULES)

    # then each flag says what it is and exactly which words it matched
    assert {flag.category for flag in flags} == {CONTACT, PAYMENT, DISCOUNT}
    for flag in flags:
        assert text[flag.span.start : flag.span.end] == flag.span.text
    assert [(f.category, f.span.text) for f in flags if f.category is not DISCOUNT] == [
        (CONTACT, "WeChat"),
        (PAYMENT, "Alipay"),
    ]


def test_a_span_is_counted_in_characters_of_the_message() -> None:
    (flag,) = detect_off_platform("您好，加我微信", DEFAULT_RULES)

    assert (flag.span.start, flag.span.end, flag.span.text) == (3, 7, "加我微信")


def test_overlapping_matches_of_one_category_are_one_flag() -> None:
    # given a chat app and its number in one stretch (the app alone and the number alone match too)
    text = "WhatsApp +86 138 0013 8000"

    # when / then
    assert [flag.span.text for flag in detect_off_platform(text, DEFAULT_RULES)] == [text]


def test_the_rule_set_is_data() -> None:
    # given a rule added by configuration
    rules = [
        OffPlatformRule(
            id="alipay_direct",
            category=PAYMENT,
            reason="asks for Alipay outside the platform",
            keywords=("alipay me",),
        )
    ]

    # when
    (flag,) = detect_off_platform("just Alipay me the deposit", rules)

    # then
    assert (flag.rule_id, flag.category, flag.span.text) == ("alipay_direct", PAYMENT, "Alipay me")


def test_a_rule_with_a_broken_regex_is_rejected_when_loaded() -> None:
    with pytest.raises(ValueError, match="patterns"):
        OffPlatformRule(id="broken", category=PAYMENT, reason="r", patterns=("(unclosed",))


def test_a_rule_names_its_category() -> None:
    with pytest.raises(ValueError, match="category"):
        OffPlatformRule.model_validate({"id": "no_category", "reason": "r", "keywords": ["x"]})


def test_flagged_message_carries_each_flag_with_its_category_and_span() -> None:
    # given
    record = append(
        None,
        order_id="order-1",
        author_id=SUPPLIER,
        role=AuthorRole.SUPPLIER,
        kind=RecordKind.MESSAGE,
        body="Pay by Western Union to my personal account",
        created_at=NOW,
    )

    # when
    (flagged,) = flag_message(record, DEFAULT_RULES)

    # then
    assert flagged.seq == 1
    assert [(m.category, m.span.text if m.span else None) for m in flagged.matches] == [
        (PAYMENT, "Pay by Western Union to my personal account"),
    ]


def test_a_clean_message_raises_no_flag() -> None:
    record = append(
        None,
        order_id="order-1",
        author_id=SUPPLIER,
        role=AuthorRole.SUPPLIER,
        kind=RecordKind.MESSAGE,
        body="Goods are packed and will ship via DHL tomorrow",
        created_at=NOW,
    )

    assert flag_message(record, DEFAULT_RULES) == []


def _wire_rule(
    *, unless_clause_mentions: tuple[str, ...] = (), unless_preceded_by: tuple[str, ...] = ()
) -> list[OffPlatformRule]:
    rule = OffPlatformRule(
        id="wire",
        category=PAYMENT,
        reason="asks for a wire transfer",
        keywords=("pay by wire",),
        unless_clause_mentions=unless_clause_mentions,
        unless_preceded_by=unless_preceded_by,
    )
    return [rule]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Pay by wire through Trade Assurance", False),
        ("Hello. Pay by wire through Trade Assurance", False),
        ("Trade Assurance is slow. Pay by wire instead", True),
        ("Pay by wire, Trade Assurance takes too long", True),
        ("Pay by wire; we stopped using Trade Assurance", True),
    ],
)
def test_only_the_matchs_own_clause_can_excuse_it(text: str, flagged: bool) -> None:
    # given a rule excused by a mention of the platform's payment
    rules = _wire_rule(unless_clause_mentions=(r"trade assurance",))

    # when / then: a mention in the clause before or after does not excuse it
    assert bool(detect_off_platform(text, rules)) is flagged


@pytest.mark.parametrize(
    "text",
    ["No pay by wire please", "Thanks. No pay by wire please", "! No pay by wire please", "; no pay by wire"],
)
def test_a_clause_begins_right_after_the_break_before_it_even_one_opening_the_message(text: str) -> None:
    # given a refusal guard that must open the clause
    rules = _wire_rule(unless_preceded_by=(r"^\s*no\b",))

    # when / then: the break itself is not part of the clause, wherever it stands
    assert detect_off_platform(text, rules) == []


def test_a_pattern_that_can_match_nothing_flags_only_what_it_matched() -> None:
    # given a rule whose pattern also matches the empty string (an optional group)
    rules = [OffPlatformRule(id="wire", category=PAYMENT, reason="wire", patterns=(r"(?:wire)?",))]

    # when
    flags = detect_off_platform("pay by wire", rules)

    # then no empty stretch is flagged
    assert [(f.span.start, f.span.end, f.span.text) for f in flags] == [(7, 11, "wire")]


def test_stretches_of_one_category_that_touch_without_overlapping_are_two_flags() -> None:
    # given a rule matching a run of three digits, and two runs side by side, then apart
    rules = [OffPlatformRule(id="digits", category=CONTACT, reason="digits", patterns=(r"\d{3}",))]

    # when
    flags = detect_off_platform("138001 and 555", rules)

    # then each stretch is its own flag
    assert [f.span.text for f in flags] == ["138", "001", "555"]
