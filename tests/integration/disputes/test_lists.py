"""Disputes' lists: each party sees its own claims and after-sales requests, mediators their queue.

Their paging (each item once, cursors bound to their query) is proven list by list in test_list_paging.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.contracts.catalog import AfterSalesLabel
from tests.integration.disputes.journey import BUYER, OTHER_BUYER, OTHER_SUPPLIER, SUPPLIER, Disputes
from tests.support.lists import read_page

LABEL = AfterSalesLabel.FREE_REPLACEMENT_PARTS
REASONS = ("quality_not_as_agreed", "quantity_short", "wrong_item", "defective", "damaged", "counterfeit")


def keys(items: list[dict[str, Any]], key: str = "claim_id") -> list[str]:
    return [item[key] for item in items]


async def listed(disputes: Disputes, path: str, token: str, **params: str) -> list[dict[str, Any]]:
    page = await read_page(disputes.service, path, token=token, params={"limit": "100", **params})
    return list(page["items"])


async def claims_an_hour_apart(disputes: Disputes, order_id: str, *reasons: str) -> list[dict[str, Any]]:
    opened = []
    for reason in reasons:
        opened.append(await disputes.claim(order_id, reason=reason))
        disputes.clock.advance(timedelta(hours=1))
    return opened


async def escalated(disputes: Disputes, claim: dict[str, Any]) -> None:
    """The supplier rejects the claim, and its buyer escalates at once."""
    path = f"/v1/disputes/{claim['claim_id']}"
    assert (await disputes.call("POST", f"{path}/reject", disputes.supplier(claim["supplier_id"])))[0] == 200
    assert (await disputes.call("POST", f"{path}/escalate", disputes.buyer(claim["buyer_id"])))[0] == 200


async def requested(disputes: Disputes, order_id: str, buyer: str = BUYER) -> dict[str, Any]:
    body = {"label": LABEL.value, "description": "pump seal leaking"}
    path = f"/v1/orders/{order_id}/after-sales-requests"
    status, request = await disputes.call("POST", path, disputes.buyer(buyer), body)
    assert status == 201, request
    return dict(request)


# --- GET /v1/disputes ---------------------------------------------------------------------------------


async def test_a_party_lists_only_its_own_claims_even_when_filtering_by_the_other_partys_id(
    disputes: Disputes,
) -> None:
    # Given a claim of buyer-1 with supplier-1 and one of buyer-2 with supplier-2
    await disputes.delivered("ord-1")
    await disputes.delivered("ord-2", buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER)
    mine = await disputes.claim("ord-1")
    theirs = await disputes.claim("ord-2", buyer=OTHER_BUYER)
    path = "/v1/disputes"

    # When each party lists its claims, Then it sees only its own
    assert keys(await listed(disputes, path, disputes.buyer())) == [mine["claim_id"]]
    assert keys(await listed(disputes, path, disputes.supplier(OTHER_SUPPLIER))) == [theirs["claim_id"]]
    # And asking for the other party's by its id finds nothing: a filter narrows the scope, never replaces it
    assert await listed(disputes, path, disputes.buyer(OTHER_BUYER), buyer_id=BUYER) == []
    assert await listed(disputes, path, disputes.supplier(OTHER_SUPPLIER), supplier_id=SUPPLIER) == []
    assert await listed(disputes, path, disputes.supplier(), buyer_id=OTHER_BUYER) == []
    # And a mediator sees every claim, and may filter by a party
    assert sorted(keys(await listed(disputes, path, disputes.mediator()))) == sorted(
        [mine["claim_id"], theirs["claim_id"]]
    )
    assert keys(await listed(disputes, path, disputes.mediator(), buyer_id=OTHER_BUYER)) == [
        theirs["claim_id"]
    ]


async def test_roles_outside_the_claim_list_are_forbidden(disputes: Disputes) -> None:
    for role in ("ops:finance", "ops:verification", "service:escrow"):
        response = await disputes.service.call("GET", "/v1/disputes", token=disputes.tokens.ops("x", role))
        assert response.status == 403, role


async def test_a_partys_claims_come_due_soonest_first_each_with_who_acts_next_by_when(
    disputes: Disputes,
) -> None:
    # Given four claims opened an hour apart: A answered with an offer, B untouched, C withdrawn,
    # D rejected and escalated
    await disputes.delivered("ord-1")
    a, b, c, d = await claims_an_hour_apart(disputes, "ord-1", *REASONS[:4])
    offer = {"outcome": "partial_refund", "refund": {"amount": 30_000, "currency": "USD"}}
    assert (await disputes.call("POST", f"/v1/disputes/{a['claim_id']}/offers", disputes.supplier(), offer))[
        0
    ] == 200
    assert (await disputes.call("POST", f"/v1/disputes/{c['claim_id']}/withdraw", disputes.buyer()))[0] == 200
    await escalated(disputes, d)

    # When the buyer lists its claims by deadline (its default)
    items = await listed(disputes, "/v1/disputes", disputes.buyer())

    # Then running deadlines come first, soonest first (B's supplier response before A's offer answer),
    # then the claim waiting on a mediator, then the closed one
    assert keys(items) == [b["claim_id"], a["claim_id"], d["claim_id"], c["claim_id"]]
    actions = {item["claim_id"]: item["next_action"] for item in items}
    assert actions[b["claim_id"]] == {
        "actor": "supplier",
        "action": "respond",
        "due_at": b["supplier_response_due_at"],
    }
    assert actions[a["claim_id"]] == {
        "actor": "buyer",
        "action": "answer_offer",
        "due_at": a["auto_escalation_at"],
    }
    assert actions[d["claim_id"]] == {"actor": "mediator", "action": "take_case", "due_at": None}
    assert actions[c["claim_id"]] is None
    # And newest first is the other sort, and a mediator's default
    newest = [d["claim_id"], c["claim_id"], b["claim_id"], a["claim_id"]]
    assert keys(await listed(disputes, "/v1/disputes", disputes.buyer(), sort="newest")) == newest
    assert keys(await listed(disputes, "/v1/disputes", disputes.mediator())) == newest


async def test_claims_are_filtered_by_status_stage_and_reason(disputes: Disputes) -> None:
    # Given one claim awaiting the supplier, one withdrawn and one escalated
    await disputes.delivered("ord-1")
    waiting, withdrawn, mediated = await claims_an_hour_apart(disputes, "ord-1", *REASONS[:3])
    path = "/v1/disputes"
    assert (await disputes.call("POST", f"{path}/{withdrawn['claim_id']}/withdraw", disputes.buyer()))[
        0
    ] == 200
    await escalated(disputes, mediated)
    supplier = disputes.supplier()

    # When the supplier filters its claims, Then each filter keeps only what matches
    assert keys(await listed(disputes, path, supplier, status="awaiting_supplier")) == [waiting["claim_id"]]
    assert keys(await listed(disputes, path, supplier, stage="mediation")) == [mediated["claim_id"]]
    assert keys(await listed(disputes, path, supplier, stage="closed")) == [withdrawn["claim_id"]]
    assert keys(await listed(disputes, path, supplier, reason=REASONS[0])) == [waiting["claim_id"]]
    # And a repeated status means any of them (a tab)
    tab = await read_page(
        disputes.service, f"{path}?status=awaiting_supplier&status=withdrawn", token=supplier
    )
    assert sorted(keys(tab["items"])) == sorted([waiting["claim_id"], withdrawn["claim_id"]])
    # And an unknown value is a validation problem naming the parameter
    response = await disputes.service.call("GET", path, token=supplier, params={"stage": "limbo"})
    assert response.status == 422
    assert [error["field"] for error in (await response.json())["errors"]] == ["stage"]


# --- GET /v1/mediation/queue ----------------------------------------------------------------------------


async def test_the_mediation_queue_lists_escalated_claims_longest_waiting_first_with_age_and_amount(
    disputes: Disputes,
) -> None:
    # Given claims of two buyers: B escalated first, then A, then buyer-2's E; C still negotiating
    await disputes.delivered("ord-1")
    await disputes.delivered("ord-2", buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER)
    a, b, _ = await claims_an_hour_apart(disputes, "ord-1", *REASONS[:3])
    e = await disputes.claim("ord-2", buyer=OTHER_BUYER)
    for claim in (b, a, e):
        await escalated(disputes, claim)
        disputes.clock.advance(timedelta(hours=1))

    # When a mediator reads the queue
    items = await listed(disputes, "/v1/mediation/queue", disputes.mediator())

    # Then the escalated claims come longest waiting first, with their age, amount and reason
    assert keys(items) == [b["claim_id"], a["claim_id"], e["claim_id"]]
    assert [item["age_seconds"] for item in items] == [3 * 3600, 2 * 3600, 3600]
    assert items[0]["amount"] == {"amount": 100_000, "currency": "USD"}
    assert items[0]["reason"] == b["reason"]
    assert items[0]["next_action"] == {"actor": "mediator", "action": "take_case", "due_at": None}

    # When the mediator takes B and asks its supplier for evidence
    path = f"/v1/disputes/{b['claim_id']}"
    assert (await disputes.call("POST", f"{path}/mediation", disputes.mediator()))[0] == 200
    ask = {"party": "supplier", "description": "batch test report", "respond_within_days": 2}
    status, taken = await disputes.call("POST", f"{path}/evidence-requests", disputes.mediator(), ask)
    assert status == 200, taken

    # Then the queue tells taken claims from waiting ones, and who B now waits for, by when
    queue = "/v1/mediation/queue"
    assert keys(await listed(disputes, queue, disputes.mediator(), status="escalated")) == [
        a["claim_id"],
        e["claim_id"],
    ]
    [under] = await listed(disputes, queue, disputes.mediator(), status="under_mediation")
    due = taken["evidence_requests"][0]["due_at"]
    assert under["next_action"] == {"actor": "supplier", "action": "provide_evidence", "due_at": due}


async def test_only_mediators_see_the_mediation_queue(disputes: Disputes) -> None:
    for token in (disputes.buyer(), disputes.supplier(), disputes.tokens.ops("fin-1", "ops:finance")):
        assert (await disputes.service.call("GET", "/v1/mediation/queue", token=token)).status == 403


# --- GET /v1/after-sales-requests -----------------------------------------------------------------------


async def test_after_sales_requests_come_soonest_sla_first_for_their_parties_and_mediators(
    disputes: Disputes,
) -> None:
    # Given three requests an hour apart on buyer-1's order, the first fulfilled, and one of buyer-2
    await disputes.delivered("ord-1", labels=(LABEL,))
    await disputes.delivered("ord-2", labels=(LABEL,), buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER)
    mine = []
    for _ in range(3):
        mine.append(await requested(disputes, "ord-1"))
        disputes.clock.advance(timedelta(hours=1))
    theirs = await requested(disputes, "ord-2", OTHER_BUYER)
    fulfilled = f"/v1/after-sales-requests/{mine[0]['request_id']}/fulfil"
    assert (await disputes.call("POST", fulfilled, disputes.supplier()))[0] == 200
    path, key = "/v1/after-sales-requests", "request_id"

    # When the supplier lists its open requests
    items = await listed(disputes, path, disputes.supplier(), status="open")

    # Then they come soonest SLA first, each due from the supplier at its SLA
    assert keys(items, key) == keys(mine[1:], key)
    assert [item["next_action"] for item in items] == [
        {"actor": "supplier", "action": "fulfil", "due_at": request["due_at"]} for request in mine[1:]
    ]
    # And a fulfilled request waits on nobody
    [done] = await listed(disputes, path, disputes.buyer(), status="fulfilled")
    assert (done[key], done["next_action"]) == (mine[0][key], None)
    # And no party sees another's, even asking for it by id; a mediator sees all; other roles none
    other_supplier = disputes.supplier(OTHER_SUPPLIER)
    assert keys(await listed(disputes, path, other_supplier), key) == [theirs[key]]
    assert await listed(disputes, path, disputes.buyer(OTHER_BUYER), buyer_id=BUYER) == []
    assert await listed(disputes, path, other_supplier, supplier_id=SUPPLIER) == []
    assert len(await listed(disputes, path, disputes.mediator())) == 4
    finance = disputes.tokens.ops("fin-1", "ops:finance")
    assert (await disputes.service.call("GET", path, token=finance)).status == 403
