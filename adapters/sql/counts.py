"""GenerationCounts: stored generations by kind and status, kept in memory for /metrics.

Read once from the database when it opens; after that every commit that adds, moves or
deletes a generation applies its changes here (the unit of work and the group recorder do),
so a scrape reads no table. Correct because the API process is the database's only writer
(as for the user cache)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

Key = tuple[str, str]  # (kind, status)
Change = tuple[Key, int]


class GenerationCounts:
    def __init__(self, rows: Iterable[tuple[str, str, int]] = ()) -> None:
        self._counts: Counter[Key] = Counter({(kind, status): int(n) for kind, status, n in rows})
        self._lock = threading.Lock()

    def apply(self, changes: Iterable[Change]) -> None:
        with self._lock:
            for key, delta in changes:
                self._counts[key] += delta
                if self._counts[key] == 0:
                    del self._counts[key]

    def snapshot(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return [(kind, status, n) for (kind, status), n in sorted(self._counts.items())]


COUNT_SQL = "SELECT kind, status, count(*) FROM generations GROUP BY kind, status"
