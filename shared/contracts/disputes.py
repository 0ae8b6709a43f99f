"""What disputes tells the others: claim events, the two commands it sends (refund, return label), and
the claim vocabulary they carry."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime
from shared.contracts.catalog import AfterSalesLabel
from shared.messaging.envelope import Event
from shared.money import Money


class ClaimReason(StrEnum):
    NOT_RECEIVED = "not_received"
    LATE_DISPATCH = "late_dispatch"
    LATE_DELIVERY = "late_delivery"
    QUALITY_NOT_AS_AGREED = "quality_not_as_agreed"
    QUANTITY_SHORT = "quantity_short"
    WRONG_ITEM = "wrong_item"
    DEFECTIVE = "defective"
    DAMAGED = "damaged"
    COUNTERFEIT = "counterfeit"
    PRICE_NOT_PER_CONTRACT = "price_not_per_contract"
    AFTER_SALES_NOT_PROVIDED = "after_sales_not_provided"


class RequestedOutcome(StrEnum):
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    REPLACEMENT = "replacement"
    RETURN_AND_REFUND = "return_and_refund"
    AFTER_SALES_SERVICE = "after_sales_service"


class ClaimOpener(StrEnum):
    BUYER = "buyer"
    PLATFORM = "platform"


class SettlementKind(StrEnum):
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    REPLACEMENT = "replacement"
    AFTER_SALES_SERVICE = "after_sales_service"
    NO_REFUND = "no_refund"


class SettledBy(StrEnum):
    SUPPLIER_ACCEPTANCE = "supplier_acceptance"
    BUYER_ACCEPTANCE = "buyer_acceptance"
    MEDIATION = "mediation"


class EvidenceParty(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"


class ClaimEvent(Event):
    """Fields every claim event carries, so consumers can route by order, buyer or supplier."""

    claim_id: str
    order_id: str
    buyer_id: str
    supplier_id: str


class ClaimOpened(ClaimEvent):
    """Escrow freezes release while the claim is open."""

    TYPE = "disputes.claim_opened"

    reason: ClaimReason
    requested_outcome: RequestedOutcome
    amount: Money
    opened_by: ClaimOpener
    source: str | None
    opened_at: UtcDateTime


class OfferMade(ClaimEvent):
    TYPE = "disputes.offer_made"

    outcome: RequestedOutcome
    refund: Money
    made_at: UtcDateTime


class ClaimRejectedBySupplier(ClaimEvent):
    TYPE = "disputes.claim_rejected_by_supplier"

    rejected_at: UtcDateTime


class SupplierResponseMissed(ClaimEvent):
    """Feeds the supplier's response-time metric in catalog."""

    TYPE = "disputes.supplier_response_missed"

    due_at: UtcDateTime


class ClaimEscalated(ClaimEvent):
    TYPE = "disputes.claim_escalated"

    reason: ClaimReason
    escalated_by: str
    automatic: bool
    escalated_at: UtcDateTime


class MediationStarted(ClaimEvent):
    TYPE = "disputes.mediation_started"

    mediator_id: str
    started_at: UtcDateTime


class EvidenceRequested(ClaimEvent):
    TYPE = "disputes.evidence_requested"

    request_id: str
    party: EvidenceParty
    description: str
    due_at: UtcDateTime


class EvidenceRequestAnswered(ClaimEvent):
    TYPE = "disputes.evidence_request_answered"

    request_id: str
    evidence_seq: int | None
    answered_at: UtcDateTime


class EvidenceRequestLapsed(ClaimEvent):
    TYPE = "disputes.evidence_request_lapsed"

    request_id: str
    party: EvidenceParty
    due_at: UtcDateTime


class ClaimSettled(ClaimEvent):
    """The claim's outcome is fixed (agreement or decision); money and returns follow."""

    TYPE = "disputes.claim_settled"

    kind: SettlementKind
    refund: Money
    return_required: bool
    settled_by: SettledBy
    rationale: str
    settled_at: UtcDateTime


class ReturnRequested(ClaimEvent):
    """Command to logistics: issue a return label for the order's goods."""

    TYPE = "disputes.return_requested"

    requested_at: UtcDateTime


class RefundRequested(ClaimEvent):
    """Command to escrow: refund `amount`, idempotent by `claim_id`; escrow answers `refund_issued`."""

    TYPE = "disputes.refund_requested"

    amount: Money
    reason: ClaimReason
    requested_at: UtcDateTime


class ClaimResolved(ClaimEvent):
    """The claim is over and any refund is paid: escrow unfreezes, catalog counts it."""

    TYPE = "disputes.claim_resolved"

    reason: ClaimReason
    decision: SettlementKind
    refund: Money
    return_required: bool
    settled_by: SettledBy
    resolved_at: UtcDateTime


class ClaimWithdrawn(ClaimEvent):
    TYPE = "disputes.claim_withdrawn"

    reason: ClaimReason
    withdrawn_at: UtcDateTime


class ClaimWindow(StrEnum):
    """Escrow's windows a claim must come inside (their lengths travel in `order_funded.protection`).

    Compensation is not claimed here but from escrow, which applies its own window."""

    MONEY_BACK = "money_back"


class LateClaimRefused(Event):
    """A buyer's claim came after its window had closed: no claim was opened, and nothing is frozen."""

    TYPE = "disputes.late_claim_refused"

    order_id: str
    buyer_id: str
    supplier_id: str
    reason: ClaimReason
    window: ClaimWindow
    window_closed_at: UtcDateTime
    refused_at: UtcDateTime


class AfterSalesRequested(Event):
    TYPE = "disputes.after_sales_requested"

    request_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    label: AfterSalesLabel
    due_at: UtcDateTime


class AfterSalesFulfilled(Event):
    TYPE = "disputes.after_sales_fulfilled"

    request_id: str
    order_id: str
    supplier_id: str
    fulfilled_at: UtcDateTime


class OffPlatformCategory(StrEnum):
    """What a flagged message takes outside the platform."""

    CONTACT_CHANNEL = "contact_channel"
    PAYMENT_OUTSIDE = "payment_outside"
    DISCOUNT_FOR_GOING_OUTSIDE = "discount_for_going_outside"


class MatchedSpan(BaseModel):
    """The flagged words: `body[start:end] == text`, offsets in characters (code points) of the body."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class OffPlatformMatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    rule_id: str
    reason: str
    # Optional only so that flags recorded before categories existed still read back.
    category: OffPlatformCategory | None = None
    span: MatchedSpan | None = None


class MessageFlagged(Event):
    """A conversation message pushed off-platform payment or contact; the buyer is warned."""

    TYPE = "disputes.message_flagged"

    order_id: str
    seq: int
    author_id: str
    matches: tuple[OffPlatformMatch, ...]
    flagged_at: UtcDateTime
