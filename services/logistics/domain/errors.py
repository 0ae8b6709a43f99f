"""Domain errors of the logistics service; each `code` is stable so the API can map it to a problem type."""

from __future__ import annotations

from shared.errors import Rejected, Transient


class LogisticsError(Rejected):
    """Base of every refused logistics rule; `code` is stable, `message` is for humans."""

    code = "logistics_error"


class RouteNotFoundError(LogisticsError):
    code = "route_not_found"


class RouteMismatchError(LogisticsError):
    code = "route_mismatch"


class RouteCurrencyMismatchError(LogisticsError):
    code = "route_currency_mismatch"


class WeightRequiredError(LogisticsError):
    code = "weight_required"
    field = "weight_grams"  # the input it refuses: problem+json names it in `errors`


class NotShipmentSupplierError(LogisticsError):
    code = "not_shipment_supplier"


class NotOrderBuyerError(LogisticsError):
    code = "not_order_buyer"


class ShipmentAlreadyDispatchedError(LogisticsError):
    code = "shipment_already_dispatched"


class ShipmentCancelledError(LogisticsError):
    code = "shipment_cancelled"


class ShipmentNotDispatchedError(LogisticsError):
    code = "shipment_not_dispatched"


class TrackingNumberMismatchError(LogisticsError):
    code = "tracking_number_mismatch"


class UnknownTrackingStatusError(LogisticsError):
    code = "unknown_tracking_status"
    field = "status"  # the input it refuses: problem+json names it in `errors`


class InspectionRequiredError(LogisticsError):
    code = "inspection_required"


class InspectionPendingError(LogisticsError):
    code = "inspection_pending"


class DispatchBlockedByFailedInspectionError(LogisticsError):
    code = "dispatch_blocked_by_failed_inspection"


class InspectionAlreadyCompletedError(LogisticsError):
    code = "inspection_already_completed"


class MeasurementMissingError(LogisticsError):
    code = "measurement_missing"
    field = "measurements"  # the input it refuses: problem+json names it in `errors`


class NotEligibleForEasyReturnError(LogisticsError):
    code = "not_eligible_for_easy_return"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ReturnTransitionRefusedError(LogisticsError):
    code = "return_transition_refused"


class WrongReturnWarehouseError(LogisticsError):
    code = "wrong_return_warehouse"


class CarrierUnavailableError(Transient):
    code = "carrier_unavailable"


class RouteAlreadyExistsError(LogisticsError):
    code = "route_already_exists"


class ShipmentNotFoundError(LogisticsError):
    """No shipment the caller may see has this id; someone else's is reported the same way."""

    code = "shipment_not_found"


class OrderNotFoundError(LogisticsError):
    code = "order_not_found"


class InspectionNotFoundError(LogisticsError):
    code = "inspection_not_found"


class ReturnNotFoundError(LogisticsError):
    code = "return_not_found"
