"""The public keys a service trusts, by `kid`: tokens from the gateway, quotes from catalog.

A key set read from a JWKS file follows the file: rotating keys is editing the set (add the new key, let
signers switch, remove the old one), never restarting a service. Kubernetes updates a mounted secret by
swapping a symlink, the local tools by renaming a new file over the old; either changes what `stat` sees.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
import structlog

# Asymmetric only: an HMAC algorithm would let anyone holding the *public* key forge tokens.
ALLOWED_ALGORITHMS = frozenset({"EdDSA", "RS256", "ES256"})

log = structlog.get_logger(__name__)


class KeySet:
    """Trusted public keys by key id; every one of them asymmetric."""

    def __init__(self, keys: Mapping[str, jwt.PyJWK]) -> None:
        self._keys = _checked(keys)

    @classmethod
    def of_jwks(cls, jwks: Mapping[str, Any]) -> KeySet:
        """From a JWKS document (`{"keys": [{"kid": ..., "kty": ...}, ...]}`); every key needs a `kid`."""
        return cls(_parsed(jwks))

    def find(self, kid: str) -> jwt.PyJWK | None:
        return self._keys.get(kid)


class JwksFile(KeySet):
    """The key set of a JWKS file, read again whenever the file changes (checked on each look-up)."""

    def __init__(self, path: Path) -> None:
        # At start the file must be there and valid: a service that trusts nothing should not come up.
        self._path = path
        self._seen = _identity(path)
        super().__init__(_parsed(json.loads(path.read_text())))

    def find(self, kid: str) -> jwt.PyJWK | None:
        self._follow()
        return super().find(kid)

    def _follow(self) -> None:
        try:
            seen = _identity(self._path)
        except OSError:
            return  # between a delete and a create: keep trusting what was there
        if seen == self._seen:
            return
        self._seen = seen
        try:
            keys = _checked(_parsed(json.loads(self._path.read_text())))
        except (OSError, ValueError, KeyError, TypeError, jwt.PyJWKError) as error:
            # A half-written or broken set must not lock everyone out: keep the last good one, say so once.
            log.error("key_set_unreadable", path=str(self._path), error=repr(error))
            return
        if keys.keys() != self._keys.keys():
            log.info("key_set_changed", path=str(self._path), kids=sorted(keys))
        self._keys = keys


def _identity(path: Path) -> tuple[int, int, int]:
    """What changes when the file is replaced or rewritten: its inode, size and modification time."""
    stat = os.stat(path)
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _parsed(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    return {str(entry["kid"]): jwt.PyJWK(entry) for entry in jwks["keys"]}


def _checked(keys: Mapping[str, jwt.PyJWK]) -> dict[str, jwt.PyJWK]:
    for kid, key in keys.items():
        if key.algorithm_name not in ALLOWED_ALGORITHMS:
            raise ValueError(f"key {kid!r} uses {key.algorithm_name}, allowed: {sorted(ALLOWED_ALGORITHMS)}")
    return dict(keys)
