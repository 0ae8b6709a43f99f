"""`python -m services.catalog`: serve the catalog service until SIGINT/SIGTERM."""

from services.catalog.app import build_app
from services.catalog.settings import CatalogSettings
from shared.service import run_service

if __name__ == "__main__":
    settings = CatalogSettings()
    run_service(settings, build_app)
