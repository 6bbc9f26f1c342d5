"""StartBudgets: after a crash, abandoned reservations are settled whole; video jobs in
progress keep theirs and count again against their users' limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.limit_generations import GenerationLimits, InMemoryGenerationLimiter
from application.budget.start_budgets import StartBudgets
from application.locks import KeyedLocks
from application.ports.budget import SpendEntry, SpendOverview, SpendState
from domain.budgets import Budget, SpendTotals
from domain.users import Role, User
from tests.fakes import FakeClock, FakeUnitOfWork

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


class JobsReader:
    def __init__(self, jobs: list[tuple[str, str]]) -> None:
        self.jobs = jobs

    async def open_video_jobs(self) -> list[tuple[str, str]]:
        return self.jobs

    async def overview(self, **_: object) -> SpendOverview:
        raise NotImplementedError

    async def totals_of(
        self, user_ids: list[str], default: Budget, starts: dict[str, datetime]
    ) -> dict[str, tuple[Budget, SpendTotals]]:
        raise NotImplementedError


async def test_abandoned_reservations_are_settled_whole_and_video_jobs_kept() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock(NOW)
    uow.users.rows["u1"] = User("u1", "u1@x.org", Role.USER, "x", NOW)
    old, recent = NOW - timedelta(hours=2), NOW - timedelta(minutes=1)
    for entry_id, created in (("lost", old), ("job1", old), ("fresh", recent)):
        entry = SpendEntry(entry_id, "u1", Decimal("0.5"), SpendState.RESERVED, created)
        uow.budgets.entries[entry_id] = entry
    limiter = InMemoryGenerationLimiter(GenerationLimits(), clock)
    start = StartBudgets(
        SpendLedger(uow, KeyedLocks(), BudgetDefaults.unlimited()),
        JobsReader([("u1", "job1")]),
        limiter,
        clock,
        timedelta(hours=1),
    )
    assert await start.execute() == 1
    states = {key: (e.state, e.amount) for key, e in uow.budgets.entries.items()}
    assert states["lost"] == (SpendState.SETTLED, Decimal("0.5"))
    assert states["job1"][0] is SpendState.RESERVED and states["fresh"][0] is SpendState.RESERVED
    assert await limiter.active_video_jobs("u1") == 1
