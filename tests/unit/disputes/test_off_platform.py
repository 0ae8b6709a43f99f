"""Messages pushing off-platform payment or contact are flagged with the reason; trade talk is not."""

from __future__ import annotations

import pytest

from services.disputes.domain.conversation import AuthorRole, RecordKind, append
from services.disputes.domain.off_platform import OffPlatformRule, detect_off_platform, flag_message
from tests.unit.disputes.factories import NOW, SUPPLIER


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("Please pay by wire to my personal account, it is faster", "personal_account"),
        ("send the balance to our private bank account", "personal_account"),
        ("We can skip Trade Assurance and save the fee", "pay_outside_platform"),
        ("pay me directly and I give 5% discount", "pay_outside_platform"),
        ("let's continue off-platform", "pay_outside_platform"),
        ("Western Union is fine for us", "money_transfer_service"),
        ("we accept PayPal or USDT", "money_transfer_service"),
        ("add me on WhatsApp for better price", "chat_app_contact"),
        ("my WeChat: sunny_factory", "chat_app_contact"),
        ("WhatsApp +86 138 0013 8000", "chat_app_contact"),
        ("contact me at lily.chen@gmail.com", "email_address"),
        ("call me on +86 755 8888 1234", "phone_number"),
    ],
)
def test_off_platform_pushes_are_flagged_with_their_rule(text: str, rule_id: str) -> None:
    assert rule_id in [match.rule_id for match in detect_off_platform(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The payment through Trade Assurance is done",
        "You can pay by bank transfer through Trade Assurance",
        "We ship via DHL, tracking number follows",
        "Gift boxes with WhatsApp-like packaging design",
        "Signal strength of each router is tested before packing",
        "Mobile phone cases, MOQ 500 pcs, lead time 15 days",
        "Our account manager will reply here tomorrow",
        "Inspection by SGS passed, report attached",
    ],
)
def test_ordinary_trade_talk_is_not_flagged(text: str) -> None:
    assert detect_off_platform(text) == []


def test_a_match_names_its_reason_and_the_matched_text() -> None:
    # when
    (match,) = detect_off_platform("contact me at lily.chen@gmail.com please")

    # then
    assert match.reason == "shares an e-mail address for direct contact"
    assert match.excerpt == "lily.chen@gmail.com"


def test_each_rule_is_reported_once_per_message() -> None:
    # given a message breaking the chat-app rule in two ways
    text = "add me on WhatsApp, my WhatsApp is +86 138 0013 8000"

    # when / then
    assert [m.rule_id for m in detect_off_platform(text)].count("chat_app_contact") == 1


def test_the_rule_set_is_data() -> None:
    # given a rule added by configuration
    rules = [
        OffPlatformRule(
            id="alipay_direct", reason="asks for Alipay outside the platform", keywords=("alipay me",)
        )
    ]

    # when / then
    assert [m.rule_id for m in detect_off_platform("just Alipay me the deposit", rules)] == ["alipay_direct"]


def test_a_rule_with_a_broken_regex_is_rejected_when_loaded() -> None:
    with pytest.raises(ValueError, match="patterns"):
        OffPlatformRule(id="broken", reason="r", patterns=("(unclosed",))


def test_flagged_message_warns_with_every_matched_reason() -> None:
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
    (flagged,) = flag_message(record)

    # then
    assert flagged.seq == 1
    assert [m.rule_id for m in flagged.matches] == ["personal_account", "money_transfer_service"]


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

    assert flag_message(record) == []
