"""`python -m services.disputes`: serve the disputes service until SIGINT/SIGTERM."""

from services.disputes.app import build_app
from services.disputes.settings import DisputesSettings
from shared.service import run_service

if __name__ == "__main__":
    settings = DisputesSettings()
    run_service(settings, build_app)
