"""DuckDB consistency: the user cache stays current, and concurrent writers end in one
commit and a contract error, never a raw duckdb exception (security.md #46, section 5)."""

from __future__ import annotations

import asyncio

import pytest

from adapters.duckdb.database import Database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.sql.users import SqlUserLookup
from application.errors import ConflictError, EmailTakenError
from domain.users import Role
from tests.integration.conftest import a_token, a_user


async def seed(database: Database) -> None:
    async with DuckDBUnitOfWork(database) as uow:
        await uow.users.add(a_user())
        await uow.refresh_tokens.add(a_token("t1"))
        await uow.commit()


async def test_a_committed_role_change_is_visible_through_the_user_lookup_at_once(
    database: Database,
) -> None:
    await seed(database)
    lookup = SqlUserLookup(database)
    before = await lookup.get("u1")
    async with DuckDBUnitOfWork(database) as uow:
        await uow.users.set_role("u1", Role.ADMIN)  # not committed: the cache must not change
    unchanged = await lookup.get("u1")
    async with DuckDBUnitOfWork(database) as uow:
        await uow.users.set_role("u1", Role.ADMIN)
        await uow.users.set_password_hash("u1", "fake$new")
        await uow.commit()

    after = await lookup.get("u1")
    assert before is not None and unchanged is not None and after is not None
    assert (before.role, unchanged.role) == (Role.USER, Role.USER)
    assert (after.role, after.password_hash) == (Role.ADMIN, "fake$new")
    assert await lookup.get("nobody") is None


async def test_lookups_racing_role_changes_never_serve_a_stale_role(database: Database) -> None:
    await seed(database)
    lookup, stop = SqlUserLookup(database), asyncio.Event()

    async def keep_reading() -> None:
        for _ in range(100_000):  # bounded; a cache hit does not yield, so yield explicitly
            if stop.is_set():
                return
            await lookup.get("u1")
            await asyncio.sleep(0)

    readers = [asyncio.create_task(keep_reading()) for _ in range(3)]
    try:
        for n in range(30):
            role = Role.ADMIN if n % 2 == 0 else Role.USER
            async with DuckDBUnitOfWork(database) as uow:
                await uow.users.set_role("u1", role)
                await uow.commit()
            seen = await lookup.get("u1")
            assert seen is not None
            assert seen.role is role
    finally:
        stop.set()
        await asyncio.gather(*readers)


async def test_two_transactions_updating_one_column_end_in_one_commit_and_one_conflict(
    database: Database,
) -> None:
    await seed(database)
    first, second = DuckDBUnitOfWork(database), DuckDBUnitOfWork(database)
    async with first, second:
        await first.users.set_role("u1", Role.ADMIN)
        with pytest.raises(ConflictError):
            await second.users.set_role("u1", Role.USER)
        await first.commit()

    async with DuckDBUnitOfWork(database) as uow:
        user = await uow.users.get("u1")
    assert user is not None
    assert user.role is Role.ADMIN


async def test_concurrent_updates_of_different_columns_of_one_user_both_persist(
    database: Database,
) -> None:
    await seed(database)  # DuckDB detects conflicts per column, so these two merge
    first, second = DuckDBUnitOfWork(database), DuckDBUnitOfWork(database)
    async with first, second:
        await first.users.set_role("u1", Role.ADMIN)
        await second.users.set_password_hash("u1", "fake$new")
        await first.commit()
        await second.commit()

    async with DuckDBUnitOfWork(database) as uow:
        user = await uow.users.get("u1")
    assert user is not None
    assert (user.role, user.password_hash) == (Role.ADMIN, "fake$new")


async def test_retiring_a_token_another_transaction_retired_is_a_conflict_or_false(
    database: Database,
) -> None:
    await seed(database)
    late, early = DuckDBUnitOfWork(database), DuckDBUnitOfWork(database)
    async with late:
        assert await late.refresh_tokens.get("t1") is not None  # its snapshot predates early's
        async with early:
            assert await early.refresh_tokens.retire("t1", "t2") is True
            await early.commit()
        try:
            outcome: bool | ConflictError = await late.refresh_tokens.retire("t1", "t3")
        except ConflictError as exc:
            outcome = exc

    async with DuckDBUnitOfWork(database) as uow:
        token = await uow.refresh_tokens.get("t1")
    assert outcome is False or isinstance(outcome, ConflictError)
    assert token is not None
    assert token.replaced_by == "t2"


async def test_a_duplicate_email_committed_concurrently_loses_with_a_contract_error(
    database: Database,
) -> None:
    first, second = DuckDBUnitOfWork(database), DuckDBUnitOfWork(database)
    async with first, second:
        await first.users.add(a_user("u1", "same@example.com"))
        await second.users.add(a_user("u2", "same@example.com"))  # unique index checked later
        await first.commit()
        with pytest.raises((EmailTakenError, ConflictError)):
            await second.commit()

    assert await database.read("SELECT id FROM users") == [("u1",)]


async def test_committing_after_a_conflict_raises_instead_of_losing_the_writes(
    database: Database,
) -> None:
    await seed(database)
    async with DuckDBUnitOfWork(database) as winner, DuckDBUnitOfWork(database) as loser:
        await winner.users.set_role("u1", Role.ADMIN)
        await loser.refresh_tokens.add(a_token("t9"))
        with pytest.raises(ConflictError):
            await loser.users.set_role("u1", Role.USER)
        await winner.commit()
        try:
            await loser.commit()
        except ConflictError:
            return  # the caller learns its writes are gone

    assert await database.read("SELECT count(*) FROM refresh_tokens WHERE jti = 't9'") == [(1,)]
