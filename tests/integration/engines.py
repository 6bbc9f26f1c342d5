"""A real database of each engine for the storage tests that hold on both: the DuckDB file
on tmp_path, and a fresh PostgreSQL database of the session's cluster (tests/postgres.py).
`engine_database` is parametrised over the two; `uow_of` builds the engine's unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from adapters.duckdb.database import Database, open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.postgres.database import PgDatabase, open_pg_database, pg_sql
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.ports.system import UnitOfWork
from tests.integration.conftest import query

ENGINES = ["duckdb", "postgresql"]
AnyDatabase = Database | PgDatabase
Rows = list[tuple[Any, ...]]


@pytest.fixture(params=ENGINES)
async def engine_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AnyDatabase]:
    """8 DuckDB workers or up to 16 PostgreSQL connections, as the API has by default."""
    if request.param == "duckdb":
        duckdb = open_database(tmp_path / "t.duckdb", 8)
        yield duckdb
        duckdb.close()
        return
    pg = open_pg_database(request.getfixturevalue("pg_url"), min_size=1, max_size=16)
    yield pg
    await pg.close()


def uow_of(database: AnyDatabase) -> UnitOfWork:
    if isinstance(database, PgDatabase):
        return PgUnitOfWork(database)
    return DuckDBUnitOfWork(database)


def engine_env(request: pytest.FixtureRequest, engine: str) -> dict[str, str]:
    """The environment that points a real API process at the engine's database."""
    if engine == "duckdb":
        return {}
    return {"ALLUCANGET_DATABASE_URL": str(request.getfixturevalue("pg_url"))}


def query_stored(
    env: dict[str, str], path: Path, sql: str, params: list[Any] | None = None
) -> Rows:
    """Read what a stopped API stored: its PostgreSQL database when `env` names one, else
    the DuckDB file at `path` (`?` placeholders on both)."""
    url = env.get("ALLUCANGET_DATABASE_URL")
    if url is None:
        return query(path, sql, params)
    with psycopg.connect(url) as connection:
        return connection.execute(pg_sql(sql), params or None).fetchall()


@pytest.fixture(params=ENGINES)
def api_engine(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of a real API process on each engine (none for DuckDB)."""
    return engine_env(request, str(request.param))
