"""The composition root declares every catalog route (as OpenAPI shows it) without touching the network."""

from __future__ import annotations

from services.catalog.app import build_app
from services.catalog.settings import CatalogSettings
from shared.http.app import OPENAPI
from shared.security.jwt import TokenVerifier


def test_every_catalog_route_is_published_in_openapi() -> None:
    verifier = TokenVerifier.from_jwks({"keys": []}, audience="tradeguard", issuer="tradeguard-dev-idp")
    app = build_app(CatalogSettings(), verifier=verifier)
    paths = app[OPENAPI]["paths"]
    assert {
        "/v1/suppliers",
        "/v1/suppliers/{supplier_id}",
        "/v1/suppliers/{supplier_id}/audits",
        "/v1/suppliers/{supplier_id}/reviews",
        "/v1/products",
        "/v1/products/{product_id}",
        "/v1/products/{product_id}/reviews",
        "/v1/quotes",
        "/v1/reviews",
        "/v1/reviews/{review_id}",
        "/v1/reviews/{review_id}/reply",
    } <= set(paths)
    assert not any(path.startswith("/sandbox/") for path in paths)
