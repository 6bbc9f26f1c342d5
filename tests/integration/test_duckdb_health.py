"""SqlHealth: what /readyz and /metrics read of the database, with no SQL in the routes."""

from __future__ import annotations

from pathlib import Path

from adapters.duckdb.database import open_database
from adapters.sql.counts import GenerationCounts
from adapters.sql.health import SqlHealth


async def test_an_open_database_answers_the_ping_and_a_closed_one_does_not(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "db.duckdb", threads=1)
    health = SqlHealth(database)
    assert await health.ping() is True
    database.close()
    assert await health.ping() is False  # readiness reports, it never fails


async def test_the_generation_counts_are_the_in_memory_ones(tmp_path: Path) -> None:
    database = open_database(tmp_path / "db.duckdb", threads=1)
    try:
        database.generation_counts = GenerationCounts([("text", "succeeded", 2)])
        assert await SqlHealth(database).generation_counts() == [("text", "succeeded", 2)]
    finally:
        database.close()
