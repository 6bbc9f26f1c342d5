"""PgGenerationCounts: /metrics counts generations from the `generation_counts` table (migration
0012), which every process's writes keep exact; the in-memory counts of one process would
miss what the others wrote."""

from __future__ import annotations

from adapters.postgres.database import PgDatabase

COUNTS = (
    "SELECT kind, status, sum(n), count(*) FROM generation_counts GROUP BY kind, status "
    "ORDER BY kind, status"
)
# Every row deleted is summed back in by the same statement; a row a concurrent writer adds
# meanwhile is not seen (so not deleted) and stays, and two folds never delete a row twice.
FOLD = (
    "WITH gone AS (DELETE FROM generation_counts RETURNING kind, status, n) "
    "INSERT INTO generation_counts SELECT kind, status, sum(n) FROM gone "
    "GROUP BY kind, status HAVING sum(n) <> 0"
)
FOLD_PAST_ROWS = 256


class PgGenerationCounts:
    def __init__(self, database: PgDatabase) -> None:
        self._database = database

    async def generation_counts(self) -> list[tuple[str, str, int]]:
        """One small read; past FOLD_PAST_ROWS change rows they are folded, one per key."""
        rows = await self._database.read(COUNTS)
        if sum(int(row[3]) for row in rows) > FOLD_PAST_ROWS:
            await self._database.read(FOLD)
        return [(kind, status, int(n)) for kind, status, n, _ in rows if int(n) != 0]
