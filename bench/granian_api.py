"""The API under granian instead of uvicorn, for the server comparison (bench/cpu_per_request
--server granian): the same app factory and settings (ALLUCANGET_* / OPENROUTER_* from the
environment), one worker; granian's access line goes to the app's JSON log, as uvicorn's does.

    python bench/granian_api.py --port 9001
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI
from granian import Granian
from granian.constants import Interfaces

from entrypoints.api.app import create_app
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings

# granian's own loggers write plain text to stdout; ours is the root's JSON handler
ACCESS_TO_ROOT = {
    "_granian": {"handlers": [], "level": "INFO", "propagate": True},
    "granian.access": {"handlers": [], "level": "INFO", "propagate": True},
}


def app() -> FastAPI:
    """The factory granian's worker calls: what `allucanget api` serves."""
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    Granian(
        "bench.granian_api:app",
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        workers=1,
        factory=True,
        log_access=True,
        log_dictconfig={"loggers": ACCESS_TO_ROOT},
    ).serve()


if __name__ == "__main__":
    main()
