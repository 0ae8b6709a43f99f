"""Order conversations: hash-chained and verifiable; off-platform pushes are flagged and the buyer warned."""

from __future__ import annotations

from pymongo import AsyncMongoClient

from shared.mongo import Document
from tests.integration.disputes.journey import OTHER_BUYER, Disputes, start_disputes
from tests.support.services import EventInjector, StartService, Tokens


async def test_verify_detects_a_message_edited_in_the_database(
    disputes: Disputes, mongo_client: AsyncMongoClient[Document]
) -> None:
    # Given a three-message conversation that verifies
    await disputes.funded("ord-1")
    for token, body in [
        (disputes.buyer(), "Can you confirm the colour?"),
        (disputes.supplier(), "Pantone 286 C, as agreed."),
        (disputes.buyer(), "Thanks, confirmed."),
    ]:
        status, _ = await disputes.call("POST", "/v1/orders/ord-1/messages", token, {"body": body})
        assert status == 201
    verify = "/v1/orders/ord-1/messages/verify"
    assert (await disputes.call("GET", verify, disputes.buyer()))[1]["valid"] is True

    # When someone rewrites the supplier's message directly in MongoDB
    database = mongo_client[disputes.service.platform.settings.mongo_db]
    await database["conversation"].update_one(
        {"order_id": "ord-1", "seq": 2}, {"$set": {"body": "Pantone 300 C, as agreed."}}
    )

    # Then verification names the edited record
    status, result = await disputes.call("GET", verify, disputes.buyer())
    assert status == 200
    assert result == {
        "valid": False,
        "checked": 1,
        "first_broken_seq": 2,
        "problem": "content does not match its hash",
    }
    # And another buyer cannot read or verify the conversation at all
    assert (await disputes.call("GET", verify, disputes.buyer(OTHER_BUYER)))[0] == 404


async def test_off_platform_payment_requests_are_flagged_and_the_buyer_warned(disputes: Disputes) -> None:
    await disputes.funded("ord-1")

    # When the supplier asks for payment off the platform
    body = {"body": "For a 5% discount, wire the balance to my personal account, or add me on WhatsApp."}
    status, posted = await disputes.call("POST", "/v1/orders/ord-1/messages", disputes.supplier(), body)

    # Then the message is flagged in each category, with the matched words, and an event warns the buyer
    assert status == 201
    assert {flag["category"] for flag in posted["flags"]} == {
        "contact_channel",
        "payment_outside",
        "discount_for_going_outside",
    }
    spans = [flag["span"]["text"] for flag in posted["flags"]]
    assert "WhatsApp" in spans
    assert any(span.endswith("my personal account") for span in spans)
    [flagged] = await disputes.published("disputes.message_flagged")
    assert (flagged["order_id"], flagged["seq"], flagged["matches"]) == ("ord-1", 1, posted["flags"])
    # And the buyer reading the conversation sees a warning; the supplier does not need one
    [as_buyer] = (await disputes.call("GET", "/v1/orders/ord-1/messages", disputes.buyer()))[1]["items"]
    assert "an account of the seller instead of escrow" in as_buyer["warning"]
    [as_supplier] = (await disputes.call("GET", "/v1/orders/ord-1/messages", disputes.supplier()))[1]["items"]
    assert as_supplier["warning"] is None


async def test_ordinary_trade_talk_is_not_flagged(disputes: Disputes) -> None:
    await disputes.funded("ord-1")
    for body in [
        "Payment received through Trade Assurance, thank you.",
        "The carton signal strength test passed; line 3 ships Monday.",
        "Our account manager will share the inspection report here.",
    ]:
        status, posted = await disputes.call(
            "POST", "/v1/orders/ord-1/messages", disputes.supplier(), {"body": body}
        )
        assert (status, posted["flags"]) == (201, []), body
    assert await disputes.published("disputes.message_flagged") == []


async def test_the_off_platform_rule_set_is_configuration(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    # Given a deployment that adds a rule for a local payment app
    rule = {
        "id": "local_wallet",
        "category": "payment_outside",
        "reason": "names a local payment app",
        "keywords": ["payme wallet"],
    }
    disputes = await start_disputes(start_service, tokens, inject, off_platform_rules=[rule])
    await disputes.funded("ord-1")

    body = {"body": "Quicker if you send it by PayMe wallet."}
    status, posted = await disputes.call("POST", "/v1/orders/ord-1/messages", disputes.supplier(), body)

    assert status == 201
    assert [(flag["rule_id"], flag["span"]["text"]) for flag in posted["flags"]] == [
        ("local_wallet", "PayMe wallet")
    ]


async def test_a_conversation_is_read_in_bounded_pages_oldest_first(disputes: Disputes) -> None:
    # Given a five-message conversation
    await disputes.funded("ord-1")
    for number in range(1, 6):
        status, _ = await disputes.call(
            "POST", "/v1/orders/ord-1/messages", disputes.buyer(), {"body": f"Question {number}"}
        )
        assert status == 201

    # When the buyer reads it two at a time, following the cursor
    bodies: list[str] = []
    cursor: int | None = 0
    pages = 0
    while cursor is not None:
        status, page = await disputes.call(
            "GET", f"/v1/orders/ord-1/messages?limit=2&after_seq={cursor}", disputes.buyer()
        )
        assert status == 200
        assert len(page["items"]) <= 2
        bodies += [item["body"] for item in page["items"]]
        cursor = page["next_after_seq"]
        pages += 1

    # Then every message comes once, in order, over three pages; an unbounded page is refused
    assert bodies == [f"Question {number}" for number in range(1, 6)]
    assert pages == 3
    status, problem = await disputes.call("GET", "/v1/orders/ord-1/messages?limit=100000", disputes.buyer())
    assert status == 422
    assert problem["errors"][0]["field"] == "limit"
