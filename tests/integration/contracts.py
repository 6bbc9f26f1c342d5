"""The unit of work every port contract runs on: the fake, then DuckDB on a temporary file.
A contract module imports the `uow` fixture, so that each assertion holds for both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from application.ports.system import UnitOfWork
from tests.fakes import FakeUnitOfWork


@pytest.fixture(params=["fake", "duckdb"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    database = open_database(tmp_path / "t.duckdb", 4)
    try:
        yield DuckDBUnitOfWork(database)
    finally:
        database.close()
