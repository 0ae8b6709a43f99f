"""Logistics policy: every number from PRODUCT.md §3 that logistics itself decides, as configurable defaults.

Easy Return's programme (countries, the USD value cap, the window) is decided at the quote and reaches
logistics as the contract's frozen terms; only the reasons a return may be asked for are decided here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.contracts.logistics import ReturnReason


class LogisticsPolicy(BaseModel):
    """Rules' parameters, passed into the domain functions (built from the service's Settings)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    easy_return_quality_reasons: frozenset[ReturnReason] = frozenset(
        {ReturnReason.QUALITY_NOT_AS_AGREED, ReturnReason.DEFECTIVE, ReturnReason.DAMAGED}
    )
