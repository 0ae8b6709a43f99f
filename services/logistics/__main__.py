"""`python -m services.logistics`: serve the logistics service until SIGINT/SIGTERM."""

from services.logistics.app import build_app
from services.logistics.settings import LogisticsSettings
from shared.service import run_service

if __name__ == "__main__":
    settings = LogisticsSettings()
    run_service(settings, build_app)
