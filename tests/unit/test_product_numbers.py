"""Every service's production settings hold PRODUCT.md's numbers, written once as its policy's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.settings import CatalogSettings
from services.disputes.settings import DisputesSettings
from services.escrow.settings import EscrowSettings
from services.logistics.settings import LogisticsSettings
from shared.contracts.escrow import BuyerTier
from shared.contracts.logistics import ReturnReason
from shared.money import Money

DAY = timedelta(days=1)


def test_production_catalog_settings_are_the_product_numbers() -> None:
    policy = CatalogSettings(sandbox=False).policy

    # §1 Verified Pro: export percentile ≥ 80, more than 5 years of experience
    assert policy.badges.verified_pro_min_export_percentile == 80
    assert policy.badges.verified_pro_min_experience_years == 5
    # §1 Guaranteed offers: dispatch promise between 72 hours and 7 days
    assert (policy.products.guaranteed_min_dispatch, policy.products.guaranteed_max_dispatch) == (
        timedelta(hours=72),
        7 * DAY,
    )
    # §1 Reviews: within 30 days of completion, editable once
    assert (policy.reviews.window, policy.reviews.max_edits) == (30 * DAY, 1)
    # §1 Red flags: below median − 3·MAD or 50% of the median; parent category under 10 comparables;
    # supplier under 1 year old
    assert policy.red_flags.mad_multiplier == 3
    assert policy.red_flags.below_median_fraction_bps == 5_000
    assert policy.red_flags.min_comparables == 10
    assert policy.red_flags.new_supplier_age == 365 * DAY
    # §3 Easy Return, promised at the quote: goods + shipping ≤ US$3,000, within 30 days, these countries
    easy_return = policy.quotes.easy_return
    assert easy_return.value_cap == Money(amount=300_000, currency="USD")
    assert easy_return.window_days == 30
    assert easy_return.countries == {
        "AU", "CA", "DE", "IT", "NL", "UK", "US", "FR", "ES", "PL", "BE",
        "CZ", "PT", "MX", "KR", "JP", "CL", "SA", "AE", "IL", "CH",
    }  # fmt: skip


def test_production_escrow_settings_are_the_product_numbers() -> None:
    policy = EscrowSettings(sandbox=False).policy

    # §2 Release: auto-confirm 14 days after delivery, platform fee 2%
    assert policy.auto_confirm_days == 14
    assert policy.platform_fee_bps == 200
    # §2 Money-back window: 30 days, 60 for enterprise and enterprise_pro
    assert policy.money_back_window_days == {
        BuyerTier.STANDARD: 30,
        BuyerTier.ENTERPRISE: 60,
        BuyerTier.ENTERPRISE_PRO: 60,
    }
    # §2 Compensation: up to US$100, automatic for enterprise tiers, claimable within 30 days by others
    assert policy.compensation_cap == Money(amount=10_000, currency="USD")
    assert policy.automatic_compensation_tiers == {BuyerTier.ENTERPRISE, BuyerTier.ENTERPRISE_PRO}
    assert policy.compensation_claim_window_days == 30


def test_production_logistics_settings_are_the_product_numbers() -> None:
    policy = LogisticsSettings(sandbox=False).policy

    # §3 Easy Return at return time: for quality reasons (the programme's numbers are the quote's, above)
    assert policy.easy_return_quality_reasons == {
        ReturnReason.QUALITY_NOT_AS_AGREED,
        ReturnReason.DEFECTIVE,
        ReturnReason.DAMAGED,
    }


def test_production_disputes_settings_are_the_product_numbers() -> None:
    policy = DisputesSettings(sandbox=False).policy

    # §4 Negotiation: supplier responds within 3 days, buyer may escalate from day 4, automatic after 7 days
    assert policy.supplier_response_days == 3
    assert policy.buyer_may_escalate_after_days == 3
    assert policy.auto_escalation_days == 7


def test_one_policy_rule_is_overridden_from_the_environment_and_the_others_keep_their_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given one rule of escrow's and one of catalog's policy set in the environment
    monkeypatch.setenv("ESCROW_POLICY__PLATFORM_FEE_BPS", "250")
    monkeypatch.setenv("CATALOG_POLICY__QUOTES__EASY_RETURN__WINDOW_DAYS", "45")

    # When the services read their settings
    escrow, easy_return = EscrowSettings().policy, CatalogSettings().policy.quotes.easy_return

    # Then that rule changed and its neighbours did not
    assert (escrow.platform_fee_bps, escrow.auto_confirm_days) == (250, 14)
    assert easy_return.window_days == 45
    assert easy_return.value_cap == Money(amount=300_000, currency="USD")
