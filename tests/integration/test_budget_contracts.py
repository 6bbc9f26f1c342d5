"""The BudgetRepository contract, on the fake unit of work and on DuckDB alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from application.ports.budget import SpendEntry, SpendState
from application.ports.system import UnitOfWork
from domain.budgets import Budget, BudgetPeriod, SpendTotals
from tests.integration.conftest import NOW, a_user
from tests.integration.contracts import uow  # noqa: F401 (fixture)

LATER = NOW + timedelta(minutes=5)
NANO = Decimal("0.000000001")


def reserved(entry_id: str, amount: str, *, user: str = "u1", at: datetime = NOW) -> SpendEntry:
    return SpendEntry(entry_id, user, Decimal(amount), SpendState.RESERVED, at)


async def add(uow: UnitOfWork, *entries: SpendEntry) -> None:
    async with uow:
        for entry in entries:
            await uow.budgets.add(entry)
        await uow.commit()


async def totals(uow: UnitOfWork, user: str = "u1", since: datetime = NOW) -> SpendTotals:
    async with uow:
        return await uow.budgets.totals(user, since)


async def test_an_override_is_stored_replaced_and_cleared(uow: UnitOfWork) -> None:
    async with uow:
        assert await uow.budgets.get("u1") is None
        await uow.budgets.set("u1", Budget(Decimal("12.5"), BudgetPeriod.WEEK))
        await uow.commit()
    async with uow:
        assert await uow.budgets.get("u1") == Budget(Decimal("12.5"), BudgetPeriod.WEEK)
        await uow.budgets.set("u1", Budget(None, BudgetPeriod.DAY))
        await uow.commit()
    async with uow:
        assert await uow.budgets.get("u1") == Budget(None, BudgetPeriod.DAY)
        await uow.budgets.set("u1", None)
        await uow.commit()
    async with uow:
        assert await uow.budgets.get("u1") is None


async def test_totals_sum_settled_and_reserved_apart_and_ignore_released(uow: UnitOfWork) -> None:
    await add(
        uow,
        reserved("a", "0.1"),
        reserved("b", "0.2"),
        reserved("c", "0.4"),
        reserved("o", "9", user="u2"),
    )
    async with uow:
        assert await uow.budgets.close("a", SpendState.SETTLED, Decimal("0.05"), LATER)
        assert await uow.budgets.close("b", SpendState.RELEASED, None, LATER)
        await uow.commit()
    assert await totals(uow) == SpendTotals(Decimal("0.05"), Decimal("0.4"))


async def test_totals_count_only_entries_created_since_the_period_start(uow: UnitOfWork) -> None:
    await add(uow, reserved("old", "1", at=NOW - timedelta(microseconds=1)), reserved("new", "2"))
    assert await totals(uow) == SpendTotals(Decimal(0), Decimal(2))
    assert await totals(uow, since=NOW - timedelta(days=1)) == SpendTotals(Decimal(0), Decimal(3))


async def test_settling_without_a_cost_keeps_the_reservation_whole(uow: UnitOfWork) -> None:
    await add(uow, reserved("a", "0.3"))
    async with uow:
        assert await uow.budgets.close("a", SpendState.SETTLED, None, LATER)
        await uow.commit()
    async with uow:
        entry = await uow.budgets.get_entry("a")
    assert entry == SpendEntry("a", "u1", Decimal("0.3"), SpendState.SETTLED, NOW, LATER)


async def test_an_entry_closes_once_and_unknown_ones_not_at_all(uow: UnitOfWork) -> None:
    await add(uow, reserved("a", "0.3"))
    async with uow:
        first = await uow.budgets.close("a", SpendState.RELEASED, None, LATER)
        second = await uow.budgets.close("a", SpendState.SETTLED, Decimal(1), LATER)
        unknown = await uow.budgets.close("zz", SpendState.SETTLED, Decimal(1), LATER)
        await uow.commit()
    assert (first, second, unknown) == (True, False, False)
    assert await totals(uow) == SpendTotals()


async def test_nano_dollars_are_kept_exactly(uow: UnitOfWork) -> None:
    await add(
        uow,
        *(reserved(f"e{i}", "0.000000001") for i in range(7)),
        reserved("big", "999999.999999999"),
    )
    assert await totals(uow) == SpendTotals(Decimal(0), Decimal("1000000.000000006"))
    async with uow:
        await uow.budgets.close("e0", SpendState.SETTLED, NANO * 3, LATER)
        await uow.commit()
    spent = (await totals(uow)).spent
    assert spent == Decimal("0.000000003")
    assert isinstance(spent, Decimal)


async def test_work_without_commit_leaves_the_ledger_as_it_was(uow: UnitOfWork) -> None:
    await add(uow, reserved("a", "1"))
    async with uow:
        await uow.budgets.add(reserved("b", "2"))
        await uow.budgets.close("a", SpendState.SETTLED, Decimal("0.5"), LATER)
        await uow.budgets.set("u1", Budget(Decimal(1)))
    assert await totals(uow) == SpendTotals(Decimal(0), Decimal(1))
    async with uow:
        assert await uow.budgets.get("u1") is None


async def test_deleting_a_user_takes_their_budget_and_spend_along(uow: UnitOfWork) -> None:
    async with uow:
        await uow.users.add(a_user("u1", "u1@example.com"))
        await uow.budgets.set("u1", Budget(Decimal(5)))
        await uow.budgets.set("u2", Budget(Decimal(7)))
        await uow.budgets.add(reserved("a", "1"))
        await uow.budgets.add(reserved("b", "2", user="u2"))
        await uow.commit()
    async with uow:
        await uow.generations.delete_for_user("u1")
        await uow.users.delete("u1")
        await uow.commit()
    async with uow:
        assert await uow.budgets.get("u1") is None
        assert await uow.budgets.get_entry("a") is None
        assert await uow.budgets.get("u2") == Budget(Decimal(7))
    assert await totals(uow, "u2") == SpendTotals(Decimal(0), Decimal(2))
