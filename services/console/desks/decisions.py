"""The mediator's decision as typed on the form, checked before the confirmation page shows it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.money import Money

FAVOURS = {
    "buyer_full": "Refund everything paid",
    "buyer_partial": "Refund an amount",
    "supplier": "Reject the claim (release to the supplier)",
}


class DecisionInvalid(ValueError):
    """The form cannot become a decision; the message says which field and why."""


@dataclass(frozen=True)
class Decision:
    favour: str
    rationale: str
    return_required: bool = False
    refund: Money | None = None

    @classmethod
    def from_form(cls, form: Mapping[str, Any], currency: str) -> Decision:
        favour = str(form.get("favour", ""))
        if favour not in FAVOURS:
            raise DecisionInvalid("choose what the decision is")
        rationale = str(form.get("rationale", "")).strip()
        if not rationale:
            raise DecisionInvalid("write the rationale the parties will read")
        refund = None
        if favour == "buyer_partial":
            refund = _amount(str(form.get("refund", "")), currency)
        return_required = form.get("return_required") == "yes" and favour != "supplier"
        return cls(favour=favour, rationale=rationale, return_required=return_required, refund=refund)

    @property
    def summary(self) -> str:
        what = FAVOURS[self.favour]
        if self.refund is not None:
            what = f"Refund {self.refund.format()}"
        return f"{what}, after the goods are returned" if self.return_required else what

    @property
    def typed_refund(self) -> str:
        """The refund as the form takes it back ("120.50"), for the confirmation page's hidden field."""
        return self.refund.format().split(" ", 1)[0] if self.refund else ""

    def body(self) -> dict[str, Any]:
        """The disputes API's DecideClaim document."""
        return {
            "favour": self.favour,
            "refund": self.refund.model_dump() if self.refund else None,
            "return_required": self.return_required,
            "rationale": self.rationale,
        }


def _amount(typed: str, currency: str) -> Money:
    try:
        refund = Money.from_major(typed, currency)
    except ValueError as error:
        raise DecisionInvalid(f"the refund is an amount in {currency}, like 120.50") from error
    if refund.amount <= 0:
        raise DecisionInvalid("a partial refund is more than zero")
    return refund
