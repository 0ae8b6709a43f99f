"""Refusals of the disputes domain: one class per rule, each with a stable code for problem+json types."""

from __future__ import annotations

from shared.contracts.disputes import LateClaimRefused
from shared.errors import Rejected


class DisputeError(Rejected):
    """Base of every refusal; `code` is stable across releases, `message` is for humans."""

    code = "dispute_error"


class NotOrderBuyerError(DisputeError):
    code = "not_order_buyer"


class NotOrderSupplierError(DisputeError):
    code = "not_order_supplier"


class NotAssignedMediatorError(DisputeError):
    code = "not_assigned_mediator"


class OrderCancelledError(DisputeError):
    code = "order_cancelled"


class ProtectionWindowClosedError(DisputeError):
    """The claim came after its window: `refused` is the fact to announce (the handler records it)."""

    code = "protection_window_closed"

    def __init__(self, message: str, refused: LateClaimRefused) -> None:
        super().__init__(message)
        self.refused = refused


class ClaimPrematureError(DisputeError):
    """The reason cannot be claimed yet (goods not delivered, promised date not passed)."""

    code = "claim_premature"


class DuplicateOpenClaimError(DisputeError):
    code = "duplicate_open_claim"


class InvalidAmountError(DisputeError):
    """An amount does not fit the outcome: missing, not positive, wrong currency, or set on a replacement."""

    code = "invalid_amount"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RefundExceedsRefundableError(DisputeError):
    code = "refund_exceeds_refundable"


class ClaimTransitionRefusedError(DisputeError):
    """The action is not allowed in the claim's current status."""

    code = "claim_transition_refused"


class SupplierResponseOverdueError(DisputeError):
    code = "supplier_response_overdue"


class EscalationTooEarlyError(DisputeError):
    code = "escalation_too_early"


class EvidenceRequestNotFoundError(DisputeError):
    code = "evidence_request_not_found"


class InvalidDecisionError(DisputeError):
    code = "invalid_decision"


class InvalidDeadlineError(DisputeError):
    code = "invalid_deadline"


class ConversationOutOfOrderError(DisputeError):
    """An appended record does not continue the chain (other order, time going backwards)."""

    code = "conversation_out_of_order"


class AfterSalesNotOfferedError(DisputeError):
    code = "after_sales_not_offered"


class OrderNotDeliveredError(DisputeError):
    code = "order_not_delivered"


class AfterSalesSlaPassedError(DisputeError):
    code = "after_sales_sla_passed"


class AfterSalesTransitionRefusedError(DisputeError):
    code = "after_sales_transition_refused"


class EvidenceRequestClosedError(DisputeError):
    """The request was already answered, or its deadline has passed."""

    code = "evidence_request_closed"
