"""Chinese phrasings: 私下付款, 直接转账, 不走平台, 绕过平台给你优惠, 加我微信."""

from __future__ import annotations

from services.disputes.domain.off_platform import OffPlatformRule
from shared.contracts.disputes import OffPlatformCategory

from .guards import CRYPTO_PRODUCT, ON_PLATFORM, REFUSAL, THIRD_PARTY

PAYMENT = OffPlatformCategory.PAYMENT_OUTSIDE
DISCOUNT = OffPlatformCategory.DISCOUNT_FOR_GOING_OUTSIDE
CONTACT = OffPlatformCategory.CONTACT_CHANNEL

_PLATFORM = r"(?:平台|信保|担保交易|阿里|tradeguard|trade\s*assurance)"
# A route around escrow, as it appears next to a discount.
_OUTSIDE = (
    r"(?:私下|直接(?:转账|打款|汇款|付款|付给|打给)|(?:不|不用)(?:走|通过)"
    + _PLATFORM
    + r"|绕(?:过|开)"
    + _PLATFORM
    + r"|平台外|线下(?:交易|付款|转账|支付)|对私|个人账户|私人账户|西联|支付宝|微信(?:转账|支付)|"
    r"加(?:我)?微信|usdt|现金)"
)
_DISCOUNT = (
    r"(?:优惠|便宜|打折|折扣|[一二三四五六七八九]五?折|(?<![\d.])\d+(?:\.\d+)?\s*折|(?<![\d.])\d+(?:\.\d+)?\s*%\s*(?:的)?(?:优惠|折扣)|"
    r"让利|降价|(?:降|少|便宜)\s*\d+\s*个?点|少收|减\s*\d+|更低|低价|划算|省(?:下|掉|了)?(?:平台)?(?:的)?(?:手续费|佣金|服务费|费用)|"
    r"免(?:平台)?(?:手续费|佣金|服务费))"
)
_END = r"[^。！？\n]"

CHINESE: tuple[OffPlatformRule, ...] = (
    OffPlatformRule(
        id="private_payment_zh",
        category=PAYMENT,
        language="zh",
        reason="asks to pay privately or straight to the seller",
        patterns=(
            r"私下(?:里)?(?:付款|付钱|交易|转账|打款|汇款|支付|结算|收款|成交)",
            r"(?:直接|单独)(?:转账|打款|汇款|付款|付钱|付给|打给|打到|汇到|转到|转给|支付给|"
            r"付(?=我|我们|工厂|公司|老板))",
            r"线下(?:交易|付款|支付|转账|打款|汇款|结算|成交)",
            r"(?:个人|私人|对私|老板)(?:的)?(?:银行)?(?:账户|账号|帐户|帐号|卡号|银行卡|户头)|私户|对私",
            r"(?:打|转|汇|付|存)(?:到|给|入|进)(?:我|我们|我司|老板|工厂|公司)[^，。！？\n]{0,8}?"
            r"(?:账户|账号|帐户|帐号|卡|银行卡)",
            r"收款(?:账户|账号|人)(?:信息)?(?:如下|[:：])|(?:银行)?(?:账户|账号)信息(?:如下|见下)",
        ),
        unless_clause_mentions=(*ON_PLATFORM, *THIRD_PARTY),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="outside_platform_zh",
        category=PAYMENT,
        language="zh",
        reason="asks to deal outside the platform's protection",
        patterns=(
            r"(?:不|别|不要|无需|不用|没必要)(?:走|通过|用|经过)" + _PLATFORM,
            r"(?:绕过|绕开|跳过|避开|脱离)" + _PLATFORM,
            r"平台(?:外|以外|之外)(?:交易|付款|支付|转账|下单|合作|成交)?",
        ),
        unless_clause_mentions=(r"(?:联系|沟通|聊)",),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="money_transfer_service_zh",
        category=PAYMENT,
        language="zh",
        reason="names a way to pay that bypasses escrow",
        patterns=(
            r"西联(?:汇款)?|速汇金|贝宝|支付宝|微信(?:支付|转账|付款)|比特币|泰达币|加密货币|数字货币|"
            r"现金(?:付款|支付|交易|结算)|付现金",
        ),
        unless_clause_mentions=(*ON_PLATFORM, *CRYPTO_PRODUCT),
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="discount_for_going_outside_zh",
        category=DISCOUNT,
        language="zh",
        reason="offers a better price for leaving the platform",
        patterns=(
            _OUTSIDE + _END + r"{0,20}?" + _DISCOUNT,
            _DISCOUNT + _END + r"{0,20}?" + _OUTSIDE,
            r"省(?:掉|下)?(?:平台|信保)(?:的)?(?:手续费|佣金|服务费|费用)|(?:平台|信保)(?:的)?(?:手续费|佣金|服务费)"
            r"(?:就)?(?:省|免|不用)",
        ),
        unless_clause_mentions=ON_PLATFORM,
        unless_preceded_by=REFUSAL,
    ),
    OffPlatformRule(
        id="contact_elsewhere_zh",
        category=CONTACT,
        language="zh",
        reason="asks to continue the conversation outside the platform",
        patterns=(
            r"加(?:我|一下|个)?(?:的)?(?:微信|qq|vx|wx|whatsapp|好友|联系方式)",
            r"(?:私下|线下|平台外)(?:联系|沟通|聊)",
            r"留(?:个|下|一下)?(?:你的|您的)?(?:电话|手机|联系方式|微信|邮箱)",
            r"(?:你的|您的)(?:微信|电话|手机号?|联系方式|邮箱)(?:是多少|多少|发我|给我)",
            r"(?:发|打)(?:我|到我)(?:的)?(?:邮箱|手机|电话)",
        ),
        unless_preceded_by=REFUSAL,
    ),
)
