"""JSON log lines (security.md #44): UTC time, level, event, and the extra fields given."""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
# HTTP client libraries log every request's full URL at INFO/DEBUG, query included; a video's
# signed download URL carries its signature there (security.md #44). Never below WARNING.
CHATTY_CLIENTS = ("httpx", "httpcore", "aiohttp", "hpack", "urllib3")
# Any absolute URL's query and fragment, wherever in the line (message, extras, traceback).
_URL_QUERY = re.compile(r"""(\b[a-z][a-z0-9+.-]*://[^\s"'<>?#\\]*)[?#][^\s"'<>\\]*""", re.I)
REDACTED = "?[query removed]"


def without_url_queries(text: str) -> str:
    """`text` with the query string (and fragment) of every absolute URL removed."""
    if "://" not in text:  # no absolute URL: most lines; the regex costs a third of a line
        return text
    return _URL_QUERY.sub(lambda match: match[1] + REDACTED, text)


# The request being served, so that every log line written while serving it carries its id.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# json.dumps(..., default=str) builds a new encoder per call; this one is built once
_ENCODER = json.JSONEncoder(default=str)


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")  # the last whole second, as ISO text

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in RESERVED})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes CR/LF, so a hostile value cannot forge a second line
        return without_url_queries(_ENCODER.encode(line))

    def _time(self, created: float) -> str:
        """`datetime.fromtimestamp(created, UTC).isoformat()`, the seconds part formatted
        once per second."""
        moment = datetime.fromtimestamp(created, UTC)
        second = int(created) if created >= 0 else -1
        if moment.microsecond == 0 or second < 0:
            return moment.isoformat()
        if second != self._second[0]:
            self._second = (second, moment.replace(microsecond=0).isoformat()[:-6])
        return f"{self._second[1]}.{moment.microsecond:06d}+00:00"


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in CHATTY_CLIENTS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
