"""Configuration of the console: environment variables `CONSOLE_<SETTING>`, and no others."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Accepted only in sandbox mode: anyone can read it here, so it protects nothing.
DEV_SESSION_SECRET = "dev-only-console-session-secret-change-me"
SERVICE_NAMES = ("catalog", "escrow", "logistics", "disputes")


def _local_services() -> dict[str, str]:
    ports = {"catalog": 8081, "escrow": 8082, "logistics": 8083, "disputes": 8084}
    return {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}


class ConsoleSettings(BaseSettings):
    """Everything the console needs; defaults work beside `make up`."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    # Where the four public APIs answer, as JSON:
    # CONSOLE_SERVICE_ENDPOINTS='{"escrow": "http://escrow:8082", ...}'.
    service_endpoints: dict[str, str] = Field(default_factory=_local_services)
    upstream_timeout_seconds: float = Field(default=10.0, gt=0)
    # Signs and encrypts the session cookie; rotate it to sign everyone out.
    session_secret: str = DEV_SESSION_SECRET
    session_ttl_seconds: int = Field(default=8 * 3600, gt=0)
    # Cookies only over HTTPS: on behind a TLS-terminating gateway, off on a developer's plain-HTTP machine.
    secure_cookies: bool = False
    # The keys the gateway's tokens are signed with: the console reads a token's role to pick its desks.
    jwt_public_keys_file: Path = Path(".local/keys/jwks.json")
    jwt_audience: str = "tradeguard"
    jwt_issuer: str = "tradeguard-dev-idp"
    # Sandbox only: the local development key the sign-in page mints tokens with.
    dev_signing_key_file: Path = Path(".local/keys/private.pem")
    sandbox: bool = False
    log_level: str = "INFO"
    log_json: bool = True
    shutdown_grace_seconds: float = 10.0

    @model_validator(mode="after")
    def _secret_outside_sandbox(self) -> Self:
        if not self.sandbox and (self.session_secret == DEV_SESSION_SECRET or len(self.session_secret) < 32):
            raise ValueError("CONSOLE_SESSION_SECRET must be set (32+ characters) outside sandbox mode")
        missing = set(SERVICE_NAMES) - set(self.service_endpoints)
        if missing:
            raise ValueError(f"CONSOLE_SERVICE_ENDPOINTS lacks {', '.join(sorted(missing))}")
        return self
