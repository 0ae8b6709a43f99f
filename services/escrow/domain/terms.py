"""The vocabulary of Trade Assurance orders shared by the domain and the published events."""

from __future__ import annotations

from enum import StrEnum


class BuyerTier(StrEnum):
    """Snapshotted from the buyer's token into the order; windows and compensation depend on it."""

    STANDARD = "standard"
    ENTERPRISE = "enterprise"
    ENTERPRISE_PRO = "enterprise_pro"


class OrderKind(StrEnum):
    STANDARD = "standard"
    SAMPLE = "sample"
    GUARANTEED = "guaranteed"


class Party(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"


class Incoterm(StrEnum):
    """Incoterms 2020."""

    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"
    CPT = "CPT"
    CIP = "CIP"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"


class AfterSalesLabel(StrEnum):
    ONSITE_SERVICE_AND_PARTS = "onsite_service_and_parts"
    FREE_REPLACEMENT_PARTS = "free_replacement_parts"


class RefundCause(StrEnum):
    """The only two ways money goes back to a buyer."""

    CANCELLATION = "cancellation"
    DISPUTE_DECISION = "dispute_decision"


class RefundSource(StrEnum):
    ESCROW = "escrow"
    GUARANTEE_FUND = "guarantee_fund"


class DeadlineKind(StrEnum):
    """The promises of the on-time delivery guarantee."""

    DISPATCH = "dispatch"
    DELIVERY = "delivery"


class CompensationFunding(StrEnum):
    GUARANTEE_FUND = "guarantee_fund"
    PLATFORM = "platform"


class ReceiptConfirmation(StrEnum):
    BUYER = "buyer"
    AUTOMATIC = "automatic"


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    FUNDED = "funded"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FROZEN = "frozen"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
