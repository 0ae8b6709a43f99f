"""Domain errors of the catalog: each has a stable `code` the API maps to a problem+json type."""

from __future__ import annotations

from shared.errors import Rejected, Transient


class CatalogError(Rejected):
    """Base of every refused catalog rule."""

    code = "catalog_error"


class InvalidFieldError(CatalogError):
    """A value breaks a rule; `field` names it (dotted path, e.g. `tiers[1].min_qty`)."""

    code = "invalid_field"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class QuantityBelowMoqError(InvalidFieldError):
    code = "quantity_below_moq"

    def __init__(self, quantity: int, moq: int) -> None:
        super().__init__("quantity", f"{quantity} is below the minimum order quantity {moq}")


class QuantityNotMultipleError(InvalidFieldError):
    code = "quantity_not_multiple"

    def __init__(self, quantity: int, multiple: int) -> None:
        super().__init__("quantity", f"{quantity} is not a multiple of the order multiple {multiple}")


class NotFoundError(CatalogError):
    """The object does not exist, or is not the caller's to see."""

    code = "not_found"


class UnknownSupplierError(NotFoundError):
    code = "supplier_not_found"


class UnknownProductError(NotFoundError):
    code = "product_not_found"


class UnknownReviewError(NotFoundError):
    code = "review_not_found"


class SupplierAlreadyRegisteredError(CatalogError):
    code = "supplier_already_registered"


class SupplierNotRegisteredError(CatalogError):
    """A supplier lists products only once its profile exists."""

    code = "supplier_not_registered"


class NotOwnerError(CatalogError):
    """The acting supplier does not own the resource; suppliers, products and reviews are public, so the
    API answers 403 (the object's existence is no secret)."""

    code = "not_owner"


class QuoteExpiredError(CatalogError):
    code = "quote_expired"


class ReviewNotAllowedError(CatalogError):
    """Base of the review eligibility refusals."""

    code = "review_not_allowed"


class OrderNotCompletedError(ReviewNotAllowedError):
    code = "review_order_not_completed"


class NotOrderBuyerError(ReviewNotAllowedError):
    code = "review_not_order_buyer"


class TargetNotInOrderError(ReviewNotAllowedError):
    code = "review_target_not_in_order"


class ReviewWindowClosedError(ReviewNotAllowedError):
    code = "review_window_closed"


class AlreadyReviewedError(ReviewNotAllowedError):
    code = "review_already_exists"


class ReviewEditLimitReachedError(ReviewNotAllowedError):
    code = "review_edit_limit_reached"


class ReplyAlreadyPostedError(ReviewNotAllowedError):
    code = "review_reply_already_posted"


class ExchangeRateUnavailableError(Transient):
    """The rate provider has no current rate for the quote's currency: quoting resumes once it has."""

    code = "exchange_rate_unavailable"
