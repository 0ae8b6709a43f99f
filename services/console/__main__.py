"""`python -m services.console`: serve the operators' desk until SIGINT/SIGTERM."""

from aiohttp import web

from services.console.app import build_app
from services.console.settings import ConsoleSettings
from shared.logging import configure_logging

if __name__ == "__main__":
    settings = ConsoleSettings()
    configure_logging("console", level=settings.log_level, json=settings.log_json)
    web.run_app(
        build_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        shutdown_timeout=settings.shutdown_grace_seconds,
        access_log=None,  # the middleware writes one JSON line per request
        print=None,
    )
