"""The off-platform rule set as data: for each category, the patterns of each language.

Categories (`OffPlatformCategory`): a contact channel outside the platform, a payment outside its
escrow, a discount for going outside. Languages: English, Chinese and Spanish, plus channels written
the same in all of them (app names, e-mail addresses, phone numbers). A deployment may replace the set
with its own (`DISPUTES_OFF_PLATFORM_RULES`).
"""

from __future__ import annotations

from services.disputes.domain.off_platform import OffPlatformRule

from .channels import CHANNELS
from .chinese import CHINESE
from .english import ENGLISH
from .spanish import SPANISH

DEFAULT_RULES: tuple[OffPlatformRule, ...] = (*CHANNELS, *ENGLISH, *CHINESE, *SPANISH)

__all__ = ["DEFAULT_RULES"]
