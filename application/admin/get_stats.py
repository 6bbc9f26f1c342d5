"""Use case: platform statistics for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from application.errors import InvalidRequestError
from application.ports.admin import Stats, StatsReader
from application.ports.system import Clock

MAX_PERIOD = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class GetStats:
    """Totals now, plus generations and cost per day, per model and per user over a period
    (default: the last 30 days; at most a year)."""

    reader: StatsReader
    clock: Clock

    async def execute(self, *, since: datetime | None, until: datetime | None) -> Stats:
        now = self.clock.now()
        end = until or now
        start = since or end - timedelta(days=30)
        if start >= end or end - start > MAX_PERIOD:
            raise InvalidRequestError("The period must be positive and at most a year.")
        return await self.reader.stats(now=now, since=start, until=end)
