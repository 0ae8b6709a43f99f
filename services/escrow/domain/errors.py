"""Domain errors of escrow: each has a stable `code` the API maps to a problem+json type."""

from __future__ import annotations

from shared.errors import Conflict, Rejected


class EscrowError(Rejected):
    """Base of every refused escrow rule."""

    code = "escrow_error"


class TransitionNotAllowedError(Conflict):
    """The order's state machine has no edge from its current state to the requested one (yet): an event
    that overtook the one it depends on (delivered before dispatched) is retried until the order caught up."""

    code = "transition_not_allowed"


class InvalidContractTermsError(EscrowError):
    code = "invalid_contract_terms"


class QuoteRequiredError(InvalidContractTermsError):
    """Standard and sample orders are placed only from a catalog quote (price lock-in)."""

    code = "quote_required"


class AmendmentNotAllowedError(EscrowError):
    """An amendment arrived in a state or form the contract rules refuse."""

    code = "amendment_not_allowed"


class AmendmentConflictError(EscrowError):
    """The amendment named is not the pending one, or the same party tried to accept its own proposal."""

    code = "amendment_conflict"


class PaymentMismatchError(EscrowError):
    """The captured amount or currency differs from the contract total."""

    code = "payment_mismatch"


class OrderAlreadyPaidError(EscrowError):
    """A second, different payment was captured for an order that is already funded."""

    code = "order_already_paid"


class NotOrderBuyerError(EscrowError):
    """Only the order's own buyer may confirm receipt."""

    code = "not_order_buyer"


class ClaimConflictError(Conflict):
    """A claim id does not match the claim that froze the order (yet: claim events may come out of order)."""

    code = "claim_conflict"


class ClaimWindowClosedError(EscrowError):
    """The money-back window after delivery has ended."""

    code = "claim_window_closed"


class AutoConfirmNotDueError(EscrowError):
    code = "auto_confirm_not_due"


class IdempotencyConflictError(EscrowError):
    """An operation id was reused with different content."""

    code = "idempotency_conflict"


class RefundRefusedError(EscrowError):
    """The refund policy denied the refund; `reason` is the policy's stable reason code."""

    code = "refund_refused"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class CompensationRefusedError(EscrowError):
    """The compensation policy denied it; `reason` is the policy's stable reason code."""

    code = "compensation_refused"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class InvalidJournalEntryError(EscrowError):
    """A journal entry that could not be booked (too few postings, zero amounts, unknown accounts)."""

    code = "invalid_journal_entry"


class UnbalancedEntryError(InvalidJournalEntryError):
    """The postings of an entry do not sum to zero in every currency."""

    code = "unbalanced_entry"


class QuoteNotUsableError(EscrowError):
    """The signed quote cannot become an order (another buyer's, expired, not Trade Assurance)."""

    code = "quote_not_usable"
    field = "quote"  # the input it refuses: problem+json names it in `errors`

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotOrderPartyError(EscrowError):
    """The caller is a party of the order but not the one this action belongs to."""

    code = "not_order_party"
