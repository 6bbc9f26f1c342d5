"""Migration 0012's generation counts: every statement that adds, moves or deletes
generations leaves its net change in `generation_counts` (statement triggers), and a scrape
folds the changes into one row per kind and status once they pile up, exactly."""

from __future__ import annotations

import psycopg

from adapters.postgres.counts import FOLD_PAST_ROWS, PgGenerationCounts
from adapters.postgres.database import open_pg_database

INSERT = (
    "INSERT INTO generations (id, user_id, kind, model, prompt, status, created_at) "
    "VALUES (%s, 'u1', %s, 'm', 'p', %s, %s)"
)


def change_rows(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM generation_counts").fetchone()
    return int(row[0]) if row else 0


async def test_the_counts_follow_every_statement_and_fold_exactly(pg_url: str) -> None:
    now = "2030-01-01 00:00:00"
    with psycopg.connect(pg_url, autocommit=True) as connection:
        for i in range(FOLD_PAST_ROWS + 20):  # one statement each: one change row each
            connection.execute(INSERT, [f"g{i}", "text", "succeeded", now])
        connection.execute(INSERT, ["img", "image", "failed", now])
        connection.execute("UPDATE generations SET status = 'failed' WHERE id IN ('g1', 'g2')")
        connection.execute("UPDATE generations SET prompt = 'q' WHERE id = 'g3'")  # no move
        connection.execute("DELETE FROM generations WHERE id IN ('g4', 'img')")
    database = open_pg_database(pg_url, min_size=1, max_size=2)
    counts = PgGenerationCounts(database)
    try:
        expected = [("text", "failed", 2), ("text", "succeeded", FOLD_PAST_ROWS + 20 - 3)]
        assert change_rows(pg_url) > FOLD_PAST_ROWS
        assert await counts.generation_counts() == expected
        assert change_rows(pg_url) == 2  # folded: one row per key; image/failed summed to 0
        assert await counts.generation_counts() == expected
    finally:
        await database.close()
