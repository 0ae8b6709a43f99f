"""The disputes policy: every number of PRODUCT.md §4 as a configurable default.

The windows in which a claim may be opened are escrow's (money-back window, compensation claim window):
they arrive with each order in `order_funded`, so they are not configured here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DisputesPolicy(BaseModel):
    """Deadlines of negotiation, mediation and after-sales; loaded from settings, passed into the rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_response_days: int = Field(default=3, ge=1)
    buyer_may_escalate_after_days: int = Field(default=3, ge=0, description="3 → escalation from day 4.")
    auto_escalation_days: int = Field(default=7, ge=1)
    evidence_response_days: int = Field(default=5, ge=1, description="Default evidence-request deadline.")
    max_evidence_response_days: int = Field(default=14, ge=1)
    after_sales_sla_days: int = Field(default=7, ge=1)
