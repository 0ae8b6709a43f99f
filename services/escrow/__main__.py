"""`python -m services.escrow`: serve the escrow service until SIGINT/SIGTERM."""

from services.escrow.app import build_app
from services.escrow.settings import EscrowSettings
from shared.service import run_service

if __name__ == "__main__":
    settings = EscrowSettings()
    run_service(settings, build_app)
