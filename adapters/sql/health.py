"""SqlHealth: what operations ask of the database, so the routes hold no SQL."""

from __future__ import annotations

from adapters.sql.executor import SqlDatabase


class SqlHealth:
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def ping(self) -> bool:
        """The database answers a trivial read; readiness reports, it never fails."""
        try:
            await self._database.read("SELECT 1")
        except Exception:
            return False
        return True

    async def generation_counts(self) -> list[tuple[str, str, int]]:
        """Stored generations by kind and status, kept in memory: no table is read."""
        return self._database.generation_counts.snapshot()
