"""Hypothesis state machine over reserve / settle / release / budget changes / clock advance
across period boundaries, on the fakes: the ledger agrees with a plain model to the
nano-dollar, and what is spent and reserved in a period never passes the limit."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from application.budget.ledger import BudgetDefaults, SpendLedger
from application.locks import KeyedLocks
from domain.budgets import ZERO, Budget, BudgetPeriod, period_start
from domain.errors import BudgetExceededError, PriceUnknownError
from domain.users import Role, User
from tests.fakes import FakeClock, FakeUnitOfWork

START = datetime(2027, 2, 1, tzinfo=UTC)  # a Monday the 1st: a day, week and month begin
USERS = ("u1", "u2")
NANO = Decimal("0.000000001")
DIME = Decimal("0.1")
# round amounts often, so that a reservation exactly fills a budget; nano-dollars too
amounts = st.integers(0, 30).map(lambda n: n * DIME) | st.integers(0, 3 * 10**9).map(
    lambda n: n * NANO
)
limits = (
    st.none()
    | st.integers(0, 50).map(lambda n: n * DIME)
    | st.integers(0, 5 * 10**9).map(lambda n: n * NANO)
)
periods = st.sampled_from(list(BudgetPeriod))


@dataclass
class Entry:
    user: str
    amount: Decimal
    state: str
    at: datetime


class BudgetMachine(RuleBasedStateMachine):
    reservations = Bundle("reservations")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock(START)
        self.uow = FakeUnitOfWork()
        for user in USERS:
            self.uow.users.rows[user] = User(user, f"{user}@example.com", Role.USER, "x", START)
        default = Budget(Decimal(1), BudgetPeriod.DAY)
        self.ledger = SpendLedger(self.uow, KeyedLocks(), BudgetDefaults(default))
        self.budgets = dict.fromkeys(USERS, default)
        self.entries: dict[str, Entry] = {}
        self.over_from: dict[str, tuple[Budget, datetime]] = {}  # lowered below the spend
        self.count = 0

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    def totals(self, user: str) -> tuple[Decimal, Decimal]:
        since = period_start(self.budgets[user].period, self.clock.now())
        mine = [e for e in self.entries.values() if e.user == user and e.at >= since]
        spent = sum((e.amount for e in mine if e.state == "settled"), ZERO)
        return spent, sum((e.amount for e in mine if e.state == "reserved"), ZERO)

    @rule(target=reservations, user=st.sampled_from(USERS), estimate=st.none() | amounts)
    def reserve(self, user: str, estimate: Decimal | None) -> str:
        self.count += 1
        entry_id = f"r{self.count}"
        budget, (spent, reserved) = self.budgets[user], self.totals(user)
        call = self.ledger.reserve(
            user_id=user, reservation_id=entry_id, estimate=estimate, now=self.clock.now()
        )
        if estimate is None and budget.limit is not None:
            expected: type[Exception] | None = PriceUnknownError
        elif budget.limit is not None and spent + reserved + (estimate or ZERO) > budget.limit:
            expected = BudgetExceededError
        else:
            expected = None
        try:
            amount = self.run(call)
        except (PriceUnknownError, BudgetExceededError) as error:
            assert type(error) is expected
            return entry_id
        assert expected is None
        assert amount == (estimate or ZERO)
        self.entries[entry_id] = Entry(user, amount, "reserved", self.clock.now())
        return entry_id

    @rule(entry_id=reservations, percent=st.none() | st.integers(0, 100))
    def settle(self, entry_id: str, percent: int | None) -> None:
        entry = self.entries.get(entry_id)
        user = entry.user if entry else "u1"
        cost = None
        if entry is not None and percent is not None:  # the upstream bills at most the bound
            cost = (entry.amount * percent / 100).quantize(NANO, ROUND_DOWN)
        closed = self.run(
            self.ledger.settle(
                user_id=user, reservation_id=entry_id, cost=cost, now=self.clock.now()
            )
        )
        assert closed == (entry is not None and entry.state == "reserved")
        if closed and entry is not None:
            entry.state, entry.amount = "settled", entry.amount if cost is None else cost

    @rule(entry_id=reservations)
    def release(self, entry_id: str) -> None:
        entry = self.entries.get(entry_id)
        closed = self.run(
            self.ledger.release(
                user_id=entry.user if entry else "u1", reservation_id=entry_id, now=self.clock.now()
            )
        )
        assert closed == (entry is not None and entry.state == "reserved")
        if closed and entry is not None:
            entry.state = "released"

    @rule(user=st.sampled_from(USERS), limit=limits, period=periods)
    def set_budget(self, user: str, limit: Decimal | None, period: BudgetPeriod) -> None:
        budget = Budget(limit, period)
        self.run(self._set(user, budget))
        self.budgets[user] = budget
        spent, reserved = self.totals(user)
        if limit is not None and spent + reserved > limit:
            self.over_from[user] = (budget, period_start(period, self.clock.now()))
        else:
            self.over_from.pop(user, None)

    async def _set(self, user: str, budget: Budget) -> None:
        async with self.uow as uow:
            await uow.budgets.set(user, budget)
            await uow.commit()

    # whole days land exactly on midnights, Mondays and firsts of the month
    @rule(minutes=st.sampled_from([60, 120, 24 * 60, 7 * 24 * 60]) | st.integers(1, 60 * 24 * 40))
    def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @invariant()
    def ledger_agrees_with_the_model_exactly(self) -> None:
        for user in USERS:
            status = self.run(self.ledger.status(user_id=user, now=self.clock.now()))
            assert (status.spent, status.reserved) == self.totals(user)
            assert status.limit == self.budgets[user].limit

    @invariant()
    def spent_and_reserved_never_pass_the_limit(self) -> None:
        for user in USERS:
            budget, now = self.budgets[user], self.clock.now()
            if budget.limit is None or self.over_from.get(user) == (
                budget,
                period_start(budget.period, now),
            ):
                continue  # an admin lowered the limit below this period's spend
            spent, reserved = self.totals(user)
            assert spent + reserved <= budget.limit

    def teardown(self) -> None:
        self.loop.close()


BudgetMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=40, deadline=None)
TestBudgetStateMachine = BudgetMachine.TestCase
