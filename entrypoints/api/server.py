"""Run the API under uvicorn: one process on DuckDB (it allows one read-write process), or
`--workers N` processes on one port with PostgreSQL, each with its own container."""

from __future__ import annotations

import os
import sys

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp
from uvicorn.supervisors import Multiprocess

from adapters.duckdb.database import DatabaseLockedError
from adapters.postgres.database import DatabaseUnreachableError, open_pg_database
from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings, load_settings

WORKER_FACTORY = "entrypoints.api.server:worker_app"
ONE_WRITER = (
    "--workers {n} needs PostgreSQL (ALLUCANGET_DATABASE_URL=postgresql://...): "
    "the DuckDB file allows one API process"
)


def serve_api(settings: Settings) -> int:
    configure_logging(settings.log_level)
    if settings.api_workers > 1:
        return _serve_workers(settings)
    container = Container(settings=settings)
    try:
        container.init_resources()  # open the database now, so a second API fails fast
    except (DatabaseLockedError, DatabaseUnreachableError) as exc:
        print(f"allucanget api: {exc}", file=sys.stderr)
        return 1
    app = create_app(settings, container)
    uvicorn.Server(uvicorn_config(app, settings.host, settings.api_port)).run()
    return 0


def _serve_workers(settings: Settings) -> int:
    """N processes on one socket (uvicorn's supervisor: it replaces a worker that dies and
    stops them all on SIGTERM/SIGINT). Each worker builds its own container from the
    environment, which carries what the command line set."""
    if settings.database_url is None:
        print(f"allucanget api: {ONE_WRITER.format(n=settings.api_workers)}", file=sys.stderr)
        return 2
    settings.resolved_secret()  # a generated key is written once, before the workers read it
    try:  # migrated once, here: a server that cannot be reached stops us before any worker
        open_pg_database(settings.database_url.get_secret_value())
    except DatabaseUnreachableError as exc:
        print(f"allucanget api: {exc}", file=sys.stderr)
        return 1
    os.environ.update(
        ALLUCANGET_HOST=settings.host,
        ALLUCANGET_API_PORT=str(settings.api_port),
        ALLUCANGET_DATA_DIR=str(settings.data_dir),
    )
    config = uvicorn_config(WORKER_FACTORY, settings.host, settings.api_port)
    config.workers, config.factory = settings.api_workers, True
    Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


def worker_app() -> FastAPI:
    """One worker's application (uvicorn's app factory), with its own container and pool."""
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def uvicorn_config(app: ASGIApp | str, host: str, port: int) -> uvicorn.Config:
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
