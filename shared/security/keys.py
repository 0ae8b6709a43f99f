"""Development signing keys and tokens: lets a person call every endpoint locally with `curl`."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_KEY_FILE = "private.pem"
PUBLIC_KEYS_FILE = "jwks.json"


@dataclass(frozen=True)
class DevKeys:
    private_key_path: Path
    public_keys_path: Path


def ensure_dev_keys(folder: Path) -> DevKeys:
    """Create an Ed25519 key pair in `folder` unless one is there; the public half is written as a JWKS."""
    keys = DevKeys(folder / PRIVATE_KEY_FILE, folder / PUBLIC_KEYS_FILE)
    if keys.private_key_path.exists() and keys.public_keys_path.exists():
        return keys
    folder.mkdir(parents=True, exist_ok=True)
    private_key = Ed25519PrivateKey.generate()
    _write_private_key(keys.private_key_path, private_key)
    _write_key_set(keys.public_keys_path, [public_jwk(private_key.public_key())])
    return keys


def rotate_dev_keys(folder: Path) -> str:
    """Start a rotation: a new signing key, trusted beside the old ones (what they signed still verifies).

    Returns the new key's `kid`. The set trusts the new key before anything is signed with it.
    """
    keys = ensure_dev_keys(folder)
    private_key = Ed25519PrivateKey.generate()
    new = public_jwk(private_key.public_key())
    _write_key_set(keys.public_keys_path, [*trusted_jwks(keys), new])
    _write_private_key(keys.private_key_path, private_key)
    return new["kid"]


def retire_old_dev_keys(folder: Path) -> list[str]:
    """End a rotation: the set trusts the current signing key only. Returns the `kid`s it no longer trusts."""
    keys = ensure_dev_keys(folder)
    current = public_jwk(_private_key(keys.private_key_path).public_key())
    retired = [jwk["kid"] for jwk in trusted_jwks(keys) if jwk["kid"] != current["kid"]]
    _write_key_set(keys.public_keys_path, [current])
    return retired


def trusted_jwks(keys: DevKeys) -> list[dict[str, str]]:
    jwks: list[dict[str, str]] = json.loads(keys.public_keys_path.read_text())["keys"]
    return jwks


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The JWK of a public key, its `kid` being the RFC 7638 thumbprint (so it derives from the key)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    thumbprint = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    return {**jwk, "kid": _b64url(thumbprint), "alg": "EdDSA", "use": "sig"}


def mint_token(
    private_key_path: Path,
    *,
    sub: str,
    role: str,
    audience: str,
    issuer: str,
    tier: str | None = None,
    ttl: timedelta = timedelta(hours=8),
    issued_at: datetime | None = None,
) -> str:
    """A signed EdDSA token as the gateway would forward it."""
    now = issued_at or datetime.now(UTC)
    claims: dict[str, object] = {"sub": sub, "role": role, "iat": now}
    if tier is not None:
        claims["tier"] = tier
    return sign_claims(private_key_path, claims, audience=audience, issuer=issuer, expires_at=now + ttl)


def sign_claims(
    private_key_path: Path,
    claims: Mapping[str, object],
    *,
    audience: str,
    issuer: str,
    expires_at: datetime,
) -> str:
    """A compact EdDSA JWS over `claims`: tokens, and documents other services verify offline (quotes)."""
    private_key = _private_key(private_key_path)
    signed = {**claims, "aud": audience, "iss": issuer, "exp": expires_at}
    kid = public_jwk(private_key.public_key())["kid"]
    return jwt.encode(signed, private_key, algorithm="EdDSA", headers={"kid": kid})


def _private_key(path: Path) -> Ed25519PrivateKey:
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return private_key


def _write_private_key(path: Path, private_key: Ed25519PrivateKey) -> None:
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _replace(path, pem, mode=0o600)


def _write_key_set(path: Path, jwks: list[dict[str, str]]) -> None:
    _replace(path, (json.dumps({"keys": jwks}, indent=2) + "\n").encode(), mode=0o644)


def _replace(path: Path, content: bytes, *, mode: int) -> None:
    """Write beside, then rename over: a reader (a signer, a service's key set) sees the old or the new
    file whole, never half of one. The mode is set from the first byte: a private key is never exposed."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(partial, path)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
