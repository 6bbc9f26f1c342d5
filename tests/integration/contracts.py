"""The unit of work every port contract runs on: the fake, DuckDB on a temporary file, and
PostgreSQL on a fresh database of the session's cluster. A contract module imports the `uow`
fixture, so that each assertion holds for all three."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.postgres.database import open_pg_database
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.ports.system import UnitOfWork
from tests.fakes import FakeUnitOfWork

ENGINES = ["fake", "duckdb", "postgresql"]


@pytest.fixture(params=ENGINES)
async def uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWork]:
    if request.param == "fake":
        yield FakeUnitOfWork()
    elif request.param == "duckdb":
        database = open_database(tmp_path / "t.duckdb", 4)
        try:
            yield DuckDBUnitOfWork(database)
        finally:
            database.close()
    else:
        pg = open_pg_database(request.getfixturevalue("pg_url"), min_size=1, max_size=4)
        try:
            yield PgUnitOfWork(pg)
        finally:
            await pg.close()
