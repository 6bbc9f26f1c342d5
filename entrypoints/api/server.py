"""Run the API under uvicorn: one process, since DuckDB allows one read-write process."""

from __future__ import annotations

import sys

import uvicorn
from starlette.types import ASGIApp

from adapters.duckdb.database import DatabaseLockedError
from adapters.postgres.database import DatabaseUnreachableError
from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings


def serve_api(settings: Settings) -> int:
    configure_logging(settings.log_level)
    container = Container(settings=settings)
    try:
        container.init_resources()  # open the database now, so a second API fails fast
    except (DatabaseLockedError, DatabaseUnreachableError) as exc:
        print(f"allucanget api: {exc}", file=sys.stderr)
        return 1
    app = create_app(settings, container)
    uvicorn.Server(uvicorn_config(app, settings.host, settings.api_port)).run()
    return 0


def uvicorn_config(app: ASGIApp, host: str, port: int) -> uvicorn.Config:
    """The server settings of the API; bench/ runs its baselines with the same ones."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=1,
        log_config=None,
        server_header=False,
        proxy_headers=False,  # client_address() decides whom to trust (security.md #7)
        timeout_graceful_shutdown=10,
    )
