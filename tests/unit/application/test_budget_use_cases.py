"""Budgets through the use cases: SpendGuard around a call, GetBudget and SetBudget."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from application.budget.get_budget import GetBudget
from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.reserve_spend import SpendGuard
from application.budget.set_budget import SetBudget
from application.errors import NotFoundError, OwnerDeletedError
from application.locks import KeyedLocks
from application.ports.budget import SpendState
from domain.audit import AuditAction
from domain.budgets import Budget, BudgetPeriod
from domain.errors import BudgetExceededError, InvalidBudgetError, PriceUnknownError
from domain.users import Role, User
from tests.fakes import FakeClock, FakeIdGenerator, FakeUnitOfWork

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
ONE = Decimal(1)
MONTHLY = Budget(ONE, BudgetPeriod.MONTH)


class Budgets:
    def __init__(self, default: Budget = MONTHLY) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock(NOW)
        self.ids, self.locks = FakeIdGenerator(), KeyedLocks()
        self.defaults = BudgetDefaults(default)
        for user_id, role in (("u1", Role.USER), ("a1", Role.ADMIN)):
            self.uow.users.rows[user_id] = User(user_id, f"{user_id}@x.org", role, "x", NOW)

    def guard(self) -> SpendGuard:
        return SpendGuard(SpendLedger(self.uow, self.locks, self.defaults), self.clock, self.ids)

    def get(self) -> GetBudget:
        return GetBudget(self.uow, self.clock, self.defaults)

    def set(self) -> SetBudget:
        return SetBudget(self.uow, self.clock, self.ids, self.locks, self.defaults)

    def states(self) -> list[tuple[Decimal, SpendState]]:
        return [(e.amount, e.state) for e in self.uow.budgets.entries.values()]


@pytest.fixture
def budgets() -> Budgets:
    return Budgets()


async def test_a_settled_call_counts_what_it_cost(budgets: Budgets) -> None:
    async with budgets.guard().hold("u1", Decimal("0.4"), generation_id="g1") as hold:
        assert budgets.states() == [(Decimal("0.4"), SpendState.RESERVED)]
        await hold.settle(0.00014)
    assert budgets.states() == [(Decimal("0.00014"), SpendState.SETTLED)]
    status = await budgets.get().execute(user_id="u1")
    assert (status.spent, status.reserved, status.remaining) == (
        Decimal("0.00014"),
        0,
        Decimal("0.99986"),
    )
    assert status.resets_at == datetime(2027, 4, 1, tzinfo=UTC)


async def test_a_call_that_fails_releases_its_reservation(budgets: Budgets) -> None:
    with pytest.raises(RuntimeError):
        async with budgets.guard().hold("u1", Decimal("0.4")):
            raise RuntimeError("upstream down")
    assert budgets.states() == [(Decimal("0.4"), SpendState.RELEASED)]


async def test_a_cancelled_call_releases_its_reservation(budgets: Budgets) -> None:
    entered = asyncio.Event()

    async def call() -> None:
        async with budgets.guard().hold("u1", Decimal("0.4")):
            entered.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(call())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert budgets.states() == [(Decimal("0.4"), SpendState.RELEASED)]


async def test_an_unknown_or_nonsense_cost_keeps_the_reservation_whole(budgets: Budgets) -> None:
    async with budgets.guard().hold("u1", Decimal("0.2")):
        pass  # answered, but no cost reported
    async with budgets.guard().hold("u1", Decimal("0.3")) as hold:
        await hold.settle(float("nan"))
    assert budgets.states() == [
        (Decimal("0.2"), SpendState.SETTLED),
        (Decimal("0.3"), SpendState.SETTLED),
    ]


async def test_a_failure_after_settling_does_not_release_what_was_billed(budgets: Budgets) -> None:
    with pytest.raises(OSError, match="disk full"):
        async with budgets.guard().hold("u1", Decimal("0.5")) as hold:
            await hold.settle(Decimal("0.1"))
            raise OSError("disk full")
    assert budgets.states() == [(Decimal("0.1"), SpendState.SETTLED)]


async def test_a_call_that_could_pass_the_budget_is_refused_before_anything_runs(
    budgets: Budgets,
) -> None:
    guard = budgets.guard()
    async with guard.hold("u1", Decimal("0.7")) as hold:
        await hold.settle(Decimal("0.6"))
    ran = False
    with pytest.raises(BudgetExceededError) as raised:
        async with guard.hold("u1", Decimal("0.5")):
            ran = True
    assert not ran
    assert (raised.value.limit, raised.value.spent, raised.value.reserved) == (
        ONE,
        Decimal("0.6"),
        0,
    )


async def test_admins_are_held_to_their_budget_too(budgets: Budgets) -> None:
    with pytest.raises(BudgetExceededError):
        await budgets.guard().reserve("a1", Decimal("1.5"))
    with pytest.raises(PriceUnknownError):
        await budgets.guard().reserve("a1", None)
    assert budgets.states() == []


async def test_an_unlimited_user_may_use_a_model_without_a_price() -> None:
    world = Budgets(Budget(None, BudgetPeriod.MONTH))
    async with world.guard().hold("u1", None) as hold:
        assert hold.amount == 0
        await hold.settle(0.25)
    assert world.states() == [(Decimal("0.25"), SpendState.SETTLED)]


async def test_a_video_job_keeps_its_reservation_until_settled_by_id(budgets: Budgets) -> None:
    hold = await budgets.guard().reserve("u1", Decimal("0.6"), reservation_id="job-1")
    assert hold.id == "job-1"
    assert await budgets.guard().settle("u1", "job-1", 0.5) is True
    assert await budgets.guard().release("u1", "job-1") is False
    assert budgets.states() == [(Decimal("0.5"), SpendState.SETTLED)]


async def test_a_deleted_user_cannot_reserve(budgets: Budgets) -> None:
    del budgets.uow.users.rows["u1"]
    with pytest.raises(OwnerDeletedError):
        await budgets.guard().reserve("u1", Decimal("0.1"))


async def test_an_admin_sets_a_budget_and_the_change_is_audited(budgets: Budgets) -> None:
    status = await budgets.set().execute(actor_id="a1", user_id="u1", limit="2.5", period="week")
    assert (status.limit, status.period, status.remaining) == (
        Decimal("2.5"),
        BudgetPeriod.WEEK,
        Decimal("2.5"),
    )
    assert status.resets_at == datetime(2027, 3, 15, tzinfo=UTC)
    event = budgets.uow.audit.rows[-1]
    assert (event.action, event.actor_id, event.target_id, event.detail) == (
        AuditAction.BUDGET_CHANGE,
        "a1",
        "u1",
        "1 USD/month -> 2.5 USD/week",
    )
    await budgets.set().execute(actor_id="a1", user_id="u1", limit=None, period="month")
    assert (await budgets.get().execute(user_id="u1")).limit is None
    assert budgets.uow.audit.rows[-1].detail == "2.5 USD/week -> unlimited/month"


async def test_setting_a_budget_refuses_bad_values_and_unknown_users(budgets: Budgets) -> None:
    with pytest.raises(InvalidBudgetError):
        await budgets.set().execute(actor_id="a1", user_id="u1", limit="-3", period="month")
    with pytest.raises(InvalidBudgetError):
        await budgets.set().execute(actor_id="a1", user_id="u1", limit="3", period="fortnight")
    with pytest.raises(NotFoundError):
        await budgets.set().execute(actor_id="a1", user_id="nobody", limit="3", period="day")
    with pytest.raises(NotFoundError):
        await budgets.get().execute(user_id="nobody")
    assert budgets.uow.audit.rows == []


def test_defaults_come_from_settings_text() -> None:
    assert BudgetDefaults.of("", "month").budget == Budget(None, BudgetPeriod.MONTH)
    assert BudgetDefaults.of(" 10 ", "day").budget == Budget(Decimal(10), BudgetPeriod.DAY)
    assert BudgetDefaults.unlimited().budget.limit is None
    with pytest.raises(InvalidBudgetError):
        BudgetDefaults.of("ten", "day")
