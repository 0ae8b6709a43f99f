"""Suppliers and trust badges: who records what, Verified Pro criteria, and badges that lapse on time."""

from __future__ import annotations

from shared.clock import rfc3339_millis
from tests.integration.catalog.support import DAY, NOW, Catalog, at, audit, certification


async def test_a_supplier_registers_itself_and_edits_only_its_own_profile(catalog: Catalog) -> None:
    # given two registered suppliers
    created = await catalog.register("sup-a")
    await catalog.register("sup-b")
    assert created["id"] == "sup-a"
    assert created["badges"] == {
        "gold": False,
        "verified": False,
        "supplier_type": None,
        "verified_pro": False,
    }
    # when sup-b edits sup-a's profile
    status, problem = await catalog.call(
        "PATCH", "/v1/suppliers/sup-a", catalog.supplier_token("sup-b"), {"legal_name": "Hijacked"}
    )
    # then it is refused, and sup-a edits its own
    assert status == 403, problem
    edited = await catalog.ok(
        "PATCH", "/v1/suppliers/sup-a", catalog.supplier_token("sup-a"), {"staff_count": 300}
    )
    assert edited["profile"]["staff_count"] == 300
    assert edited["profile"]["legal_name"] == "Ningbo Widgets Co., Ltd."
    # and registering twice is a conflict
    status, _ = await catalog.call(
        "POST", "/v1/suppliers", catalog.supplier_token("sup-a"), created["profile"]
    )
    assert status == 409


async def test_only_verification_officers_record_audits(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    # when the supplier records its own audit
    status, _ = await catalog.call(
        "POST", "/v1/suppliers/sup-a/audits", catalog.supplier_token("sup-a"), audit()
    )
    assert status == 403
    # then only an officer's audit grants Verified, with the audited supplier type
    verified = await catalog.make_verified("sup-a", supplier_type="brand_holder")
    assert verified["badges"]["verified"] is True
    assert verified["badges"]["supplier_type"] == "brand_holder"
    changed = await catalog.service.published("catalog.supplier_badges_changed")
    assert [(e["supplier_id"], e["reason"]) for e in changed] == [("sup-a", "audit")]


async def test_an_audit_without_on_site_checks_does_not_verify(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    online_only = await catalog.make_verified("sup-a", scopes=["online"])
    assert online_only["badges"]["verified"] is False
    assert "verified_supplier" in online_only["verified_pro"]["missing"]


async def test_verified_pro_is_computed_criterion_by_criterion(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    view = await catalog.make_verified("sup-a", advanced_manufacturing_attested=False)
    assert set(view["verified_pro"]["met"]) == {"verified_supplier"}
    steps = [
        ("PUT", "export-performance", {"export_percentile": 79, "experience_since": at(NOW - 6 * 365 * DAY)}),
        ("PUT", "export-performance", {"export_percentile": 80, "experience_since": at(NOW - 6 * 365 * DAY)}),
        ("POST", "certifications", certification()),
        (
            "POST",
            "client-cases",
            {"client": "Acme", "summary": "ok", "evidence_url": "https://x", "documented_at": at(NOW)},
        ),
        ("POST", "audits", audit(audited_at=at(NOW - DAY))),
    ]
    newly_met = []
    for method, fact, body in steps:
        before = set(view["verified_pro"]["met"])
        view = await catalog.record("sup-a", fact, body, method=method)
        newly_met.append(set(view["verified_pro"]["met"]) - before)
    # each recorded fact meets exactly its criterion (79th percentile is not top 20%)
    assert newly_met == [
        {"experience_years"},
        {"export_percentile"},
        {"award_patent_or_certification"},
        {"documented_client_case"},
        {"advanced_manufacturing"},
    ]
    assert view["verified_pro"] == {"eligible": True, "met": view["verified_pro"]["met"], "missing": []}
    assert view["badges"]["verified_pro"] is True


async def test_gold_needs_a_credential_check_and_an_active_membership(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    membership = {"starts_at": at(NOW - DAY), "ends_at": at(NOW + 30 * DAY)}
    without_check = await catalog.record("sup-a", "gold-memberships", membership)
    assert without_check["badges"]["gold"] is False
    check = {"agency": "Dun & Bradstreet", "reference": "DB-1", "checked_at": at(NOW - DAY)}
    with_check = await catalog.record("sup-a", "credential-checks", check)
    assert with_check["badges"]["gold"] is True


async def test_badges_lapse_by_themselves_when_the_audit_or_membership_ends(catalog: Catalog) -> None:
    # given a Verified supplier whose audit expires in 10 days, and a product of it
    await catalog.register("sup-a")
    view = await catalog.make_verified("sup-a", expires_at=at(NOW + 10 * DAY))
    assert view["badges_next_change_at"] == rfc3339_millis(NOW + 10 * DAY)
    product_id = await catalog.list_product("sup-a")
    assert await catalog.found(verified=True) == [product_id]
    # when the clock reaches the expiry and the badge timer sweeps
    catalog.clock.advance(10 * DAY)
    assert await catalog.badge_timer.sweep() == 1
    # then the badge is gone, announced, and search no longer counts the product as verified
    lapsed = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.officer)
    assert lapsed["badges"]["verified"] is False
    changed = await catalog.service.published("catalog.supplier_badges_changed")
    assert changed[-1]["reason"] == "timer"
    assert changed[-1]["badges"]["verified"] is False
    assert await catalog.found(verified=True) == []


async def test_expired_certifications_stop_counting(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    view = await catalog.record("sup-a", "certifications", certification(valid_until=at(NOW + DAY)))
    assert "award_patent_or_certification" in view["verified_pro"]["met"]
    product_id = await catalog.list_product("sup-a")
    assert await catalog.found(certification="ISO 9001") == [product_id]
    catalog.clock.advance(DAY)
    await catalog.badge_timer.sweep()
    view = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.officer)
    assert "award_patent_or_certification" in view["verified_pro"]["missing"]
    assert view["certifications"][0]["in_force"] is False
    assert await catalog.found(certification="ISO 9001") == []


async def test_verification_references_are_for_the_supplier_itself_and_operations(catalog: Catalog) -> None:
    # Given a supplier with an audit, a credential check and a certification on record
    await catalog.register("sup-a")
    await catalog.make_verified("sup-a")
    check = {"agency": "Dun & Bradstreet", "reference": "DB-1", "checked_at": at(NOW - DAY)}
    await catalog.record("sup-a", "credential-checks", check)
    await catalog.record("sup-a", "certifications", certification())
    references = ("SGS-2026-0042", "DB-1", "ISO-9001-123")

    # When a buyer, another supplier and a buyer token carrying the supplier's id read its profile
    for token in (
        catalog.tokens.buyer("b-1"),
        catalog.supplier_token("sup-b"),
        catalog.tokens.buyer("sup-a"),
    ):
        shown = await catalog.ok("GET", "/v1/suppliers/sup-a", token)

        # Then they see the audit, the check and the certificate, but none of their reference numbers
        assert [shown["audits"][0]["agency"], shown["certifications"][0]["name"]] == ["SGS", "ISO 9001"]
        assert shown["credential_checks"][0]["agency"] == "Dun & Bradstreet"
        assert not any(reference in str(shown) for reference in references)

    # And the supplier itself and operations see every reference
    for token in (catalog.supplier_token("sup-a"), catalog.tokens.ops("ops-1", "ops:mediator")):
        full = await catalog.ok("GET", "/v1/suppliers/sup-a", token)
        assert full["audits"][0]["report_ref"] == "SGS-2026-0042"
        assert full["credential_checks"][0]["reference"] == "DB-1"
        assert full["certifications"][0]["number"] == "ISO-9001-123"
