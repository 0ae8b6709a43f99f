"""Mediation: one case file, evidence requests with deadlines, one decision, refund only after the return."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import rfc3339_millis
from shared.contracts.logistics import ReturnReceived, ShipmentDispatched
from tests.integration.disputes.journey import NOW, Disputes, shipment, usd
from tests.integration.disputes.test_negotiation import refund_issued


async def escalated_claim(disputes: Disputes) -> str:
    """A quality claim on ord-1 the buyer escalated on day 4 and MEDIATOR took."""
    await disputes.delivered("ord-1")
    claim_id = str((await disputes.claim("ord-1"))["claim_id"])
    disputes.clock.advance(timedelta(days=3))
    status, _ = await disputes.call("POST", f"/v1/disputes/{claim_id}/escalate", disputes.buyer())
    assert status == 200
    status, _ = await disputes.call("POST", f"/v1/disputes/{claim_id}/mediation", disputes.mediator())
    assert status == 200
    return claim_id


async def test_a_supplier_cannot_decide_a_dispute(disputes: Disputes) -> None:
    claim_id = await escalated_claim(disputes)
    decision = {"favour": "supplier", "rationale": "goods match the contract"}

    status, _ = await disputes.call(
        "POST", f"/v1/disputes/{claim_id}/decision", disputes.supplier(), decision
    )

    assert status == 403
    assert await disputes.published("disputes.claim_settled") == []


async def test_a_return_and_refund_decision_refunds_only_after_the_return_is_received(
    disputes: Disputes,
) -> None:
    # Given a claim under mediation
    claim_id = await escalated_claim(disputes)
    path = f"/v1/disputes/{claim_id}"

    # When the mediator decides a full refund against the goods' return
    decision = {
        "favour": "buyer_full",
        "return_required": True,
        "rationale": "colour off-spec per SGS report",
    }
    status, decided = await disputes.call("POST", f"{path}/decision", disputes.mediator(), decision)

    # Then logistics is asked for a return label, and no refund is requested yet
    assert (status, decided["status"]) == (200, "awaiting_return")
    assert len(await disputes.published("disputes.return_requested")) == 1
    assert await disputes.published("disputes.refund_requested") == []
    # And the decision cannot be taken twice
    status, _ = await disputes.call("POST", f"{path}/decision", disputes.mediator(), decision)
    assert status == 409

    # When the warehouse receives the return
    await disputes.inject.publish(
        ReturnReceived(
            **shipment("ord-1"),
            return_id="ret-1",
            warehouse_id="wh-de",
            refund_amount=usd(100_000),
            received_at=NOW,
        )
    )

    async def refund_requested() -> bool:
        return len(await disputes.published("disputes.refund_requested")) == 1

    await disputes.until(refund_requested)

    # Then escrow's refund resolves the claim: exactly one claim_resolved
    await disputes.inject.publish(refund_issued(claim_id, 100_000))

    async def resolved() -> bool:
        return len(await disputes.published("disputes.claim_resolved")) == 1

    await disputes.until(resolved)
    [resolution] = await disputes.published("disputes.claim_resolved")
    assert (resolution["decision"], resolution["return_required"]) == ("full_refund", True)


async def test_the_case_file_joins_contract_messages_tracking_inspections_and_evidence(
    disputes: Disputes,
) -> None:
    # Given a claim under mediation, a tracking event and a message on the order
    claim_id = await escalated_claim(disputes)
    await disputes.inject.publish(
        ShipmentDispatched(
            **shipment("ord-1"),
            carrier="dhl",
            tracking_number="JD01",
            dispatched_at=NOW - timedelta(days=6),
            dispatch_deadline=NOW - timedelta(days=7),
            on_time=False,
        )
    )
    await disputes.call(
        "POST", "/v1/orders/ord-1/messages", disputes.supplier(), {"body": "Colour is per sample."}
    )

    # When the mediator asks the buyer for photos within 2 days, and the buyer answers with evidence
    path = f"/v1/disputes/{claim_id}"
    status, claim = await disputes.call(
        "POST",
        f"{path}/evidence-requests",
        disputes.mediator(),
        {"party": "buyer", "description": "photos under daylight", "respond_within_days": 2},
    )
    assert status == 200, claim
    [request] = claim["evidence_requests"]
    assert request["due_at"] == rfc3339_millis(disputes.clock.now() + timedelta(days=2))
    evidence = {
        "body": "photos attached",
        "attachment_hashes": ["ab" * 32],
        "request_id": request["request_id"],
    }
    status, filed = await disputes.call("POST", f"{path}/evidence", disputes.buyer(), evidence)
    assert status == 201, filed

    async def tracked() -> bool:
        order = await disputes.order("ord-1")
        return order is not None and len(order["tracking"]) == 2

    await disputes.until(tracked)

    # Then the case file has it all, and the chain verifies
    status, case = await disputes.call("GET", f"{path}/case-file", disputes.mediator())
    assert status == 200, case
    assert case["claim"]["evidence_requests"][0]["status"] == "answered"
    assert case["contract"]["funded"]["paid"] == usd(100_000).model_dump()
    assert case["contract"]["placed"]["quantity"] == 500
    assert [entry["type"] for entry in case["tracking"]] == [
        "logistics.shipment_delivered",
        "logistics.shipment_dispatched",
    ]
    assert [m["body"] for m in case["messages"]] == ["Colour is per sample."]
    assert [(e["claim_id"], e["seq"]) for e in case["evidence"]] == [(claim_id, 2)]
    assert case["chain"] == {"valid": True, "checked": 2, "first_broken_seq": None, "problem": None}
    # And only mediators see the case file
    assert (await disputes.call("GET", f"{path}/case-file", disputes.buyer()))[0] == 403


async def test_staff_ids_are_shown_to_mediators_only(disputes: Disputes) -> None:
    # Given a claim a mediator took and decided
    claim_id = await escalated_claim(disputes)
    decision = {"favour": "supplier", "rationale": "goods match the contract"}
    status, _ = await disputes.call(
        "POST", f"/v1/disputes/{claim_id}/decision", disputes.mediator(), decision
    )
    assert status == 200

    # When its parties read it, alone and in their lists
    for party in (disputes.buyer(), disputes.supplier()):
        status, claim = await disputes.call("GET", f"/v1/disputes/{claim_id}", party)
        status_of_list, listed = await disputes.call("GET", "/v1/disputes", party)

        # Then they see the outcome, but neither the mediator nor who decided it
        assert (status, status_of_list) == (200, 200)
        assert claim["settlement"]["settled_by"] == "mediation"
        assert "mediator_id" not in claim
        assert "decided_by" not in claim["settlement"]
        assert "mediator_id" not in listed["items"][0]

    # And a mediator sees both
    status, staff = await disputes.call("GET", f"/v1/disputes/{claim_id}", disputes.mediator())
    assert staff["mediator_id"] == staff["settlement"]["decided_by"] != ""
