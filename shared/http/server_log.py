"""What aiohttp's server logs about requests it could not parse or finish: the client's doing, not ours.

aiohttp logs a malformed request (a bad request line, a header too long) and a dropped connection through
`logger.exception`, a traceback at error level for each one a scanner sends. The app hands it this logger
(`handler_args`), which writes those as one info line naming the error class, without a traceback and
without the error's message (it quotes the request bytes, an Authorization header among them).
"""

from __future__ import annotations

import logging
from typing import Any

import structlog
from aiohttp.http_exceptions import HttpProcessingError

log = structlog.get_logger("shared.http")

CLIENT_ERRORS = (HttpProcessingError, ConnectionError)


class ServerLog(logging.Logger):
    """aiohttp's `RequestHandler.logger`: client-caused failures at info, anything else as aiohttp would."""

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        if isinstance(exc_info, CLIENT_ERRORS):
            log.info("http_request_unreadable", error=type(exc_info).__name__)
            return
        super().exception(msg, *args, exc_info=exc_info, **kwargs)


SERVER_LOG = ServerLog("aiohttp.server")
SERVER_LOG.parent = logging.getLogger()
