"""Regressions for what the fuzz suite found, each pinned as the rule it broke."""

from __future__ import annotations

from services.catalog.api.suppliers import MAX_FACTORY_M2
from shared.http.problems import PROBLEM_CONTENT_TYPE
from shared.security.keys import DevKeys
from tests.fuzz.targets import start_target
from tests.integration.catalog.support import profile
from tests.support.services import StartService, Tokens


async def test_an_integer_too_large_to_store_is_refused_with_422_naming_the_field_and_nothing_is_stored(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys
) -> None:
    catalog = (await start_target("catalog", start_service, tokens, quote_keys)).running
    supplier = tokens.supplier("sup-huge")

    # Valid JSON, but MongoDB cannot store it: this was a 500 after a failed write; now the declared maximum.
    refused = await catalog.call("POST", "/v1/suppliers", token=supplier, json=profile(factory_size_m2=2**63))

    assert refused.status == 422
    assert refused.content_type == PROBLEM_CONTENT_TYPE
    assert [error["field"] for error in (await refused.json())["errors"]] == ["factory_size_m2"]
    assert (await catalog.call("GET", "/v1/suppliers/sup-huge", token=supplier)).status == 404
    stored = await catalog.call(
        "POST", "/v1/suppliers", token=supplier, json=profile(factory_size_m2=MAX_FACTORY_M2)
    )
    assert stored.status == 201
