"""What a list item asks of whom, by when: `next_action: {actor, action, due_at}` on work items.

Each service's domain computes it from the same rule that enforces the deadline (the dispatch deadline,
the auto-confirm time, the negotiation window), so the date a party is shown is the date that rule acts.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime


class Actor(StrEnum):
    """Who is expected to act next: a party, a platform desk, a provider (carrier, inspection agency),
    or the platform itself when a timer does."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    MEDIATOR = "mediator"
    VERIFICATION = "verification"
    FINANCE = "finance"
    PLATFORM = "platform"
    # Providers outside the platform whose report or delivery a work item waits on (logistics).
    CARRIER = "carrier"
    INSPECTION_AGENCY = "inspection_agency"


class NextAction(BaseModel):
    """`action` is a stable snake_case code (`dispatch`, `confirm_receipt`, `answer_offer`)."""

    model_config = ConfigDict(frozen=True)

    actor: Actor
    action: str = Field(pattern=r"^[a-z][a-z_]*$", max_length=60)
    due_at: UtcDateTime | None = Field(
        default=None, description="When the rule acts if nobody does; null when nothing is due."
    )
