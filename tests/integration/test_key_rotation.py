"""A running service follows its JWT key set: a rotation needs no restart and refuses no valid caller."""

from __future__ import annotations

from pathlib import Path

from services.logistics.app import build_app
from services.logistics.settings import LogisticsSettings
from shared.security.keys import ensure_dev_keys, retire_old_dev_keys, rotate_dev_keys
from tests.support.services import StartService, Tokens


async def test_a_running_service_accepts_old_and_new_keys_during_a_rotation_and_refuses_the_retired_one(
    start_service: StartService, tmp_path: Path
) -> None:
    # Given a service trusting a key set of its own (the session's keys stay untouched for other tests)
    keys = ensure_dev_keys(tmp_path / "keys")
    tokens = Tokens(keys)
    logistics = await start_service(build_app, LogisticsSettings, jwt_public_keys_file=keys.public_keys_path)
    before = tokens.supplier("s-old")
    assert (await logistics.call("GET", "/v1/routes", token=before)).status == 200

    # When the gateway's keys rotate while it runs
    rotate_dev_keys(keys.private_key_path.parent)
    after = tokens.supplier("s-new")

    # Then callers with tokens of either key are served
    assert (await logistics.call("GET", "/v1/routes", token=before)).status == 200
    assert (await logistics.call("GET", "/v1/routes", token=after)).status == 200

    # And once the old key leaves the set, its tokens are refused and the new key's still served
    retire_old_dev_keys(keys.private_key_path.parent)
    refused = await logistics.call("GET", "/v1/routes", token=before)
    assert refused.status == 401
    assert "unknown signing key" in (await refused.json())["detail"]
    assert (await logistics.call("GET", "/v1/routes", token=after)).status == 200
