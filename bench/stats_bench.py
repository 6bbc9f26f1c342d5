"""Admin stats at scale: fill DuckDB with 1M and 10M synthetic generations, time the stats
queries, their ratio, and the event-loop stall while they run. Prints figures; asserts nothing.

    .venv/bin/python bench/stats_bench.py [--sizes 1000000 10000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.duckdb.database import Database, open_database
from adapters.sql.admin_readers import SqlStatsReader

FILL = """INSERT INTO generations
SELECT 'g' || i, 'u' || (i % 5000), CASE i % 10 WHEN 0 THEN 'image' WHEN 1 THEN 'video' ELSE 'text' END,
       'vendor/model-' || (i % 40), NULL, 'Sim', 'a prompt of some length that stats never read ' || i,
       NULL, CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, 'an answer text ' || i, 'stop',
       (i % 500), (i % 900), (i % 500) + (i % 900), (i % 1000) / 100000.0, NULL, NULL,
       TIMESTAMP '2026-01-01' + INTERVAL (i % 31536000) SECOND, NULL
FROM range(?, ?) t(i)"""


async def fill(database: Database, rows: int, batch: int = 2_000_000) -> float:
    started = time.perf_counter()
    existing = (await database.read("SELECT count(*) FROM generations"))[0][0]
    for start in range(existing, rows, batch):
        await database.read(FILL, [start, min(rows, start + batch)])
    await database.read(
        "INSERT INTO users SELECT 'u' || i, 'user' || i || '@example.com', 'user', "
        "'x', TIMESTAMP '2026-01-01' FROM range(0, 5000) t(i) "
        "WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = 'u' || i)"
    )
    return time.perf_counter() - started


async def time_stats(database: Database, repeat: int) -> tuple[float, float]:
    reader = SqlStatsReader(database)
    now = datetime(2027, 1, 1, tzinfo=UTC)
    timings, stalls = [], []
    for _ in range(repeat):
        stall = asyncio.create_task(max_loop_lag())
        started = time.perf_counter()
        await reader.stats(now=now, since=now - timedelta(days=30), until=now)
        timings.append(time.perf_counter() - started)
        stall.cancel()
        stalls.append(await stall)
    return statistics.median(timings), max(stalls)


async def max_loop_lag() -> float:
    """The longest the event loop was kept from a 1 ms tick (what a request would wait)."""
    worst = 0.0
    try:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - before - 0.001)
    except asyncio.CancelledError:
        return worst


async def main(sizes: list[int], repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.duckdb", threads=4)
        results = {}
        for size in sorted(sizes):
            filled = await fill(database, size)
            median, stall = await time_stats(database, repeat)
            results[size] = median
            print(
                f"{size:>12,} generations: filled in {filled:6.1f} s; stats median "
                f"{median * 1000:8.1f} ms over {repeat} runs; worst event-loop stall "
                f"{stall * 1000:5.1f} ms",
                flush=True,
            )
        database.close()
    if len(results) > 1:
        small, large = min(results), max(results)
        print(
            f"ratio {large:,} / {small:,}: {results[large] / results[small]:.2f}x "
            f"time for {large / small:.0f}x rows"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sizes, arguments.repeat))
