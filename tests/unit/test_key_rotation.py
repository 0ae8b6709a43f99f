"""Keys rotate without downtime: a verifier follows its key set file, so while a rotation runs tokens of the
old and the new key are both accepted, and once the old key leaves the set its tokens are refused."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deploy.local.token import main as token_command
from services.catalog.adapters.quotes import QuoteSigner
from services.escrow.adapters.quotes import SignedQuotes
from services.escrow.domain.errors import QuoteNotUsableError
from shared.contracts.catalog import Quote
from shared.security.jwt import Principal, TokenRejected, TokenVerifier
from shared.security.keys import (
    DevKeys,
    ensure_dev_keys,
    mint_token,
    retire_old_dev_keys,
    rotate_dev_keys,
    trusted_jwks,
)
from tests.unit.escrow.test_quote_terms import quote

AUDIENCE, ISSUER = "tradeguard", "tradeguard-dev-idp"


@pytest.fixture
def keys(tmp_path: Path) -> DevKeys:
    return ensure_dev_keys(tmp_path / "keys")


@pytest.fixture
def verifier(keys: DevKeys) -> TokenVerifier:
    return TokenVerifier.from_file(keys.public_keys_path, audience=AUDIENCE, issuer=ISSUER)


def supplier_token(keys: DevKeys, sub: str) -> str:
    return mint_token(keys.private_key_path, sub=sub, role="supplier", audience=AUDIENCE, issuer=ISSUER)


def test_during_a_rotation_tokens_of_the_old_and_the_new_key_are_both_accepted(
    keys: DevKeys, verifier: TokenVerifier
) -> None:
    # Given a token signed before the rotation, checked once by a running verifier
    before = supplier_token(keys, "s-old")
    assert verifier.verify(before).sub == "s-old"

    # When the keys rotate and a token is signed with the new key
    rotate_dev_keys(keys.private_key_path.parent)
    after = supplier_token(keys, "s-new")

    # Then the same verifier, never rebuilt, accepts both
    assert verifier.verify(before) == Principal(sub="s-old", role="supplier")
    assert verifier.verify(after) == Principal(sub="s-new", role="supplier")
    assert len(trusted_jwks(keys)) == 2


def test_a_retired_key_is_refused_once_it_leaves_the_key_set(keys: DevKeys, verifier: TokenVerifier) -> None:
    # Given a rotation under way, with tokens of both keys out
    before = supplier_token(keys, "s-old")
    rotate_dev_keys(keys.private_key_path.parent)
    after = supplier_token(keys, "s-new")
    assert verifier.verify(before).sub == "s-old"

    # When the old key is removed from the set
    retired = retire_old_dev_keys(keys.private_key_path.parent)

    # Then its tokens are refused, and the new key's still accepted
    assert len(retired) == 1
    with pytest.raises(TokenRejected, match="unknown signing key"):
        verifier.verify(before)
    assert verifier.verify(after).sub == "s-new"


def test_a_broken_key_set_file_keeps_the_last_good_set_until_it_is_fixed(
    keys: DevKeys, verifier: TokenVerifier
) -> None:
    # Given a valid token and a key set file being rewritten badly (truncated mid-write)
    token = supplier_token(keys, "s-1")
    good = keys.public_keys_path.read_bytes()
    keys.public_keys_path.write_bytes(good[: len(good) // 2])

    # Then the verifier keeps trusting what it trusted: no outage for a bad write
    assert verifier.verify(token).sub == "s-1"

    # And once the file is whole again, it follows it (here: a set without that key)
    keys.public_keys_path.write_text('{"keys": []}')
    with pytest.raises(TokenRejected, match="unknown signing key"):
        verifier.verify(token)


def test_the_token_command_rotates_then_retires_the_development_keys(
    keys: DevKeys, verifier: TokenVerifier, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(keys.private_key_path.parent)
    before = supplier_token(keys, "s-old")

    # When a person rotates the keys, takes a token, then retires the old key
    token_command(["--keys", folder, "--rotate"])
    token_command(["--keys", folder, "--sub", "s-new", "--role", "supplier"])
    after = capsys.readouterr().out.splitlines()[-1]
    token_command(["--keys", folder, "--retire-old"])

    # Then the token taken during the rotation outlives the old key, and the old key's tokens do not
    assert verifier.verify(after).sub == "s-new"
    with pytest.raises(TokenRejected):
        verifier.verify(before)
    assert "no longer trusted" in capsys.readouterr().out


def test_the_private_key_is_owner_only_after_a_rotation(keys: DevKeys) -> None:
    rotate_dev_keys(keys.private_key_path.parent)

    assert os.stat(keys.private_key_path).st_mode & 0o777 == 0o600
    assert sorted(path.name for path in keys.private_key_path.parent.iterdir()) == [
        "jwks.json",
        "private.pem",
    ]


def test_quotes_signed_before_and_after_a_quote_key_rotation_are_both_accepted(tmp_path: Path) -> None:
    # Catalog signs quotes and escrow verifies them with the same key set mechanism as tokens.
    keys = ensure_dev_keys(tmp_path / "quote-keys")
    signer = QuoteSigner(keys.private_key_path, audience="escrow", issuer="catalog")
    quotes = SignedQuotes.from_file(keys.public_keys_path, audience="escrow", issuer="catalog")
    expires = datetime.now(UTC) + timedelta(hours=1)
    first: Quote = quote(id="q-1", expires_at=expires)
    second: Quote = quote(id="q-2", expires_at=expires)

    # Given a quote signed before the rotation and one after
    before = signer.sign(first)
    rotate_dev_keys(keys.private_key_path.parent)
    after = signer.sign(second)

    # Then escrow accepts both while the rotation runs, and only the new one once the old key is retired
    assert [quotes.read(before).id, quotes.read(after).id] == ["q-1", "q-2"]
    retire_old_dev_keys(keys.private_key_path.parent)
    assert quotes.read(after).id == "q-2"
    with pytest.raises(QuoteNotUsableError, match="cannot be verified"):
        quotes.read(before)
