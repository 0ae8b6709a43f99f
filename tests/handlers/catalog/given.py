"""Steps the handler tests share: a registered supplier, a listed product, an order escrow completed."""

from __future__ import annotations

from services.catalog.domain import vetting
from services.catalog.domain.supplier import Supplier, SupplierProfile
from services.catalog.domain.verification import Audit
from services.catalog.domain.vetting import SupplierChange
from shared.contracts.escrow import BuyerTier, FundsReleased, ReceiptConfirmation, ReceiptConfirmed
from shared.contracts.logistics import ShipmentDispatched
from shared.money import Money
from tests.support.fakes.catalog import FakeCatalog
from tests.unit.catalog.builders import terms

PROFILE = SupplierProfile(
    legal_name="Ningbo Widgets Co., Ltd.",
    country="CN",
    year_established=2010,
    staff_count=120,
    factory_size_m2=8000,
)


async def registered(catalog: FakeCatalog, supplier_id: str = "sup-1") -> Supplier:
    return await catalog.catalog.suppliers.register(supplier_id, PROFILE)


async def listed(catalog: FakeCatalog, supplier_id: str = "sup-1") -> str:
    """A product of a registered supplier, MOQ 100 in multiples of 10 (builders' terms)."""
    await registered(catalog, supplier_id)
    return await catalog.catalog.products.publish(supplier_id, terms())


async def audited(catalog: FakeCatalog, supplier_id: str, audit: Audit) -> SupplierChange:
    badges = catalog.policy.badges
    return await catalog.catalog.suppliers.record(
        supplier_id, lambda supplier, now: vetting.record_audit(supplier, audit, badges, now)
    )


def receipt_confirmed(
    catalog: FakeCatalog, order_id: str, product_id: str, buyer_id: str = "b-1"
) -> ReceiptConfirmed:
    return ReceiptConfirmed(
        order_id=order_id,
        buyer_id=buyer_id,
        supplier_id="sup-1",
        buyer_tier=BuyerTier.STANDARD,
        confirmed_by=ReceiptConfirmation.BUYER,
        product_id=product_id,
        quantity=100,
        confirmed_at=catalog.clock.now(),
    )


def funds_released(catalog: FakeCatalog, order_id: str, buyer_id: str = "b-1") -> FundsReleased:
    paid, zero = Money(amount=50_000, currency="USD"), Money.zero("USD")
    return FundsReleased(
        order_id=order_id,
        buyer_id=buyer_id,
        supplier_id="sup-1",
        buyer_tier=BuyerTier.STANDARD,
        released=paid,
        platform_fee=zero,
        recovered_receivable=zero,
        supplier_payout=paid,
        released_at=catalog.clock.now(),
    )


def dispatched(catalog: FakeCatalog, order_id: str, *, on_time: bool) -> ShipmentDispatched:
    now = catalog.clock.now()
    return ShipmentDispatched(
        order_id=order_id,
        shipment_id=f"shp-{order_id}",
        buyer_id="b-1",
        supplier_id="sup-1",
        carrier="sandbox",
        tracking_number=f"trk-{order_id}",
        dispatched_at=now,
        dispatch_deadline=now,
        on_time=on_time,
    )
