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
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Owner-only from the first byte: the private key must never be world-readable, even briefly.
    descriptor = os.open(keys.private_key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    jwks = {"keys": [public_jwk(private_key.public_key())]}
    keys.public_keys_path.write_text(json.dumps(jwks, indent=2) + "\n")
    return keys


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
    private_key = serialization.load_pem_private_key(private_key_path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{private_key_path} is not an Ed25519 private key")
    signed = {**claims, "aud": audience, "iss": issuer, "exp": expires_at}
    kid = public_jwk(private_key.public_key())["kid"]
    return jwt.encode(signed, private_key, algorithm="EdDSA", headers={"kid": kid})


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
