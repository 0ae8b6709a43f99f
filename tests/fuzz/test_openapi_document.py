"""What the published /openapi.json promises, which the fuzz suite relies on: declared problems and links."""

from __future__ import annotations

from shared.http.problems import PROBLEM_CONTENT_TYPE
from shared.security.keys import DevKeys
from tests.fuzz.targets import start_target
from tests.support.services import StartService, Tokens


async def test_platform_problems_are_declared_on_exactly_the_routes_that_can_answer_them(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys
) -> None:
    paths = (await start_target("catalog", start_service, tokens, quote_keys)).spec["paths"]

    def statuses(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert statuses("/v1/products", "post") == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "408",
        "409",
        "413",
        "422",
        "429",
        "503",
        "default",
    }
    assert statuses("/v1/suppliers/{supplier_id}", "get") == {
        "200",
        "401",
        "403",
        "404",
        "429",
        "503",
        "default",
    }
    assert statuses("/healthz", "get") == {"200", "default"}
    problem = paths["/v1/products"]["post"]["responses"]["400"]["content"]
    assert problem == {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


async def test_an_unsigned_webhook_gets_the_401_its_route_declares_with_the_signature_header(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys
) -> None:
    logistics = await start_target("logistics", start_service, tokens, quote_keys)
    webhook = logistics.spec["paths"]["/v1/carriers/{carrier}/webhooks"]["post"]
    assert "401" in webhook["responses"]
    assert any(p.get("name") == "Tradeguard-Signature" and p["in"] == "header" for p in webhook["parameters"])

    response = await logistics.running.call("POST", "/v1/carriers/dhl/webhooks", json={})

    assert response.status == 401
    assert response.content_type == PROBLEM_CONTENT_TYPE


async def test_each_creating_post_links_to_the_operations_on_the_resource_it_created(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys
) -> None:
    catalog = (await start_target("catalog", start_service, tokens, quote_keys)).spec["paths"]
    escrow = (await start_target("escrow", start_service, tokens, quote_keys)).spec["paths"]

    product_links = catalog["/v1/products"]["post"]["responses"]["201"]["links"]
    assert product_links["show_product"] == {
        "operationId": "show_product",
        "parameters": {"product_id": "$response.body#/id"},
    }
    assert set(product_links) == {"show_product", "revise_product", "list_product_reviews"}
    # A nested POST answers with its parent (the supplier), whose `id` names no certification.
    assert "links" not in catalog["/v1/suppliers/{supplier_id}/certifications"]["post"]["responses"]["201"]
    amendment_links = escrow["/v1/orders/{order_id}/amendments"]["post"]["responses"]["201"]["links"]
    assert amendment_links["accept_amendment"]["parameters"] == {
        "order_id": "$request.path.order_id",
        "version": "$response.body#/version",
    }
