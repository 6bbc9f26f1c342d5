"""SqlHealth: what operations ask of the database, so the routes hold no SQL."""

from __future__ import annotations

from typing import Protocol

from adapters.sql.executor import SqlDatabase


class CountsReader(Protocol):
    async def generation_counts(self) -> list[tuple[str, str, int]]: ...


class SqlHealth:
    def __init__(
        self, database: SqlDatabase, engine: str = "duckdb", counts: CountsReader | None = None
    ) -> None:
        self._database = database
        self.engine = engine  # which database answers: "duckdb" or "postgresql"
        self._counts = counts  # where the counts are read (PostgreSQL), else in memory

    async def ping(self) -> bool:
        """The database answers a trivial read; readiness reports, it never fails."""
        try:
            await self._database.read("SELECT 1")
        except Exception:
            return False
        return True

    async def generation_counts(self) -> list[tuple[str, str, int]]:
        """Stored generations by kind and status: kept in memory (no table is read) where
        one process writes the database, else what `counts` reads."""
        if self._counts is not None:
            return await self._counts.generation_counts()
        return self._database.generation_counts.snapshot()
