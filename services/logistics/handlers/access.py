"""Who sees a shipment, an inspection or a return and acts on it: the order's parties and ops."""

from __future__ import annotations

from shared.security.access import Guard

from ..domain.errors import (
    InspectionNotFoundError,
    OrderNotFoundError,
    ReturnNotFoundError,
    ShipmentNotFoundError,
)

# Someone else's object is absent, and so is an action reserved to the other party: dispatching a
# shipment or booking its inspection reveals nothing to anyone but the one who may.
SHIPMENTS = Guard(not_found=ShipmentNotFoundError, forbidden=ShipmentNotFoundError)
INSPECTIONS = Guard(not_found=InspectionNotFoundError)
RETURNS = Guard(not_found=ReturnNotFoundError)
ORDERS = Guard(not_found=OrderNotFoundError, forbidden=OrderNotFoundError)
