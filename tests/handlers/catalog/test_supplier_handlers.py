"""Suppliers, rule by rule, with fakes: registration, badges recomputed on a fact and lapsing on time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.domain.errors import SupplierAlreadyRegisteredError
from shared.contracts.catalog import SupplierBadgesChanged
from shared.store import Versioned
from tests.support.fakes.catalog import FakeCatalog
from tests.unit.catalog.builders import DAY, NOW, audit

from .given import PROFILE, audited, listed, registered


def badge_changes(catalog: FakeCatalog) -> list[SupplierBadgesChanged]:
    return catalog.published(SupplierBadgesChanged)


async def test_a_supplier_registers_once(catalog: FakeCatalog) -> None:
    first = await registered(catalog)
    impostor = PROFILE.model_copy(update={"legal_name": "Someone Else Ltd."})
    with pytest.raises(SupplierAlreadyRegisteredError):
        await catalog.catalog.suppliers.register(first.id, impostor)
    assert await catalog.suppliers.get(first.id) == Versioned(first, 1)


async def test_an_audit_recomputes_the_badges_announces_the_change_and_restates_the_products(
    catalog: FakeCatalog,
) -> None:
    product_id = await listed(catalog)
    await audited(catalog, "sup-1", audit())
    [changed] = badge_changes(catalog)
    assert (changed.previous.verified, changed.badges.verified, changed.reason) == (False, True, "audit")
    assert (await catalog.supplier("sup-1")).badges.verified
    assert (await catalog.product(product_id)).supplier.verified


async def test_badges_lapse_when_the_clock_passes_their_expiry(catalog: FakeCatalog) -> None:
    product_id = await listed(catalog)
    expiry = NOW + 10 * DAY
    await audited(catalog, "sup-1", audit(expires_at=expiry))

    catalog.clock.set(expiry - timedelta(seconds=1))
    await catalog.sweep_timers()
    assert len(badge_changes(catalog)) == 1  # still valid: nothing lapsed yet

    catalog.clock.set(expiry)
    await catalog.sweep_timers()
    lapsed = badge_changes(catalog)[-1]
    assert (lapsed.previous.verified, lapsed.badges.verified, lapsed.reason) == (True, False, "timer")
    assert not (await catalog.product(product_id)).supplier.verified

    await catalog.sweep_timers()
    assert len(badge_changes(catalog)) == 2  # the fired due date was cleared: it fires once
