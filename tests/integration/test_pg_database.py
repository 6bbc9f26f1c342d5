"""The PostgreSQL adapter's own rules, on the session's real server: errors in the
application's terms, a failed statement never committed, migrations once each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from adapters.postgres.database import (
    DatabaseUnreachableError,
    PgDatabase,
    open_pg_database,
)
from adapters.postgres.migrate import available, migrate
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.errors import ConflictError, StorageUnavailableError
from domain.users import Role
from tests.integration.conftest import a_user
from tests.postgres import PgServer
from tests.servers import free_port


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[PgDatabase]:
    database = open_pg_database(pg_url, min_size=1, max_size=4)
    yield database
    await database.close()


async def test_a_failed_statement_makes_the_commit_a_conflict_and_nothing_is_kept(
    pg: PgDatabase,
) -> None:
    async with PgUnitOfWork(pg) as uow:
        await uow.users.add(a_user("u1", "ada@example.com"))
        with pytest.raises(psycopg.errors.UndefinedTable):
            await uow.audit._worker.execute("SELECT * FROM no_such_table")
        with pytest.raises(ConflictError):
            await uow.commit()
    assert await pg.read("SELECT count(*) FROM users") == [(0,)]


async def test_two_writers_of_one_row_the_second_gets_a_conflict(pg: PgDatabase) -> None:
    async with PgUnitOfWork(pg) as uow:
        await uow.users.add(a_user("u1", "ada@example.com"))
        await uow.commit()
    async with PgUnitOfWork(pg) as first, PgUnitOfWork(pg) as second:
        assert await second.users.get("u1") is not None  # its snapshot is taken
        await first.users.set_role("u1", Role.ADMIN)
        await first.commit()
        with pytest.raises(ConflictError):  # a serialization failure: the use case retries
            await second.users.set_role("u1", Role.USER)
    assert await pg.read("SELECT role FROM users") == [("admin",)]


async def test_a_lost_connection_is_unavailable_storage_and_the_pool_recovers(
    pg: PgDatabase, pg_server: PgServer
) -> None:
    [(name,)] = await pg.read("SELECT current_database()")
    with pg_server.admin() as admin:  # as a server restart or a network cut would
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
    with pytest.raises(StorageUnavailableError):
        await pg.read("SELECT 1")
    assert await pg.read("SELECT 2") == [(2,)]  # the broken connection was replaced


async def test_an_unreachable_server_is_unavailable_storage_not_a_500() -> None:
    url = f"postgresql://nobody:hunter2@127.0.0.1:{free_port()}/none"
    database = PgDatabase(url, timeout_s=0.5)
    with pytest.raises(StorageUnavailableError):
        await database.read("SELECT 1")
    await database.close()


def test_start_up_against_an_unreachable_server_fails_clearly_without_the_password() -> None:
    url = f"postgresql://nobody:hunter2@127.0.0.1:{free_port()}/none"
    with pytest.raises(DatabaseUnreachableError) as refused:
        open_pg_database(url)
    assert "127.0.0.1" in str(refused.value) and "hunter2" not in str(refused.value)


async def test_text_with_a_nul_character_is_kept_with_a_replacement_character(
    pg: PgDatabase,
) -> None:
    async with PgUnitOfWork(pg) as uow:
        await uow.users.add(a_user("u1", "a\x00b@example.com"))
        await uow.commit()
    assert await pg.read("SELECT email FROM users") == [("a\ufffdb@example.com",)]


def test_migrations_run_once_even_when_two_processes_start_together(
    pg_server: PgServer,
) -> None:
    name = pg_server.create_empty_database()
    try:

        def start() -> list[int]:
            with psycopg.connect(pg_server.url(name), autocommit=True) as connection:
                return migrate(connection)

        with ThreadPoolExecutor(2) as pool:
            ran = [f.result() for f in [pool.submit(start), pool.submit(start)]]
        every = [version for version, _, _ in available()]
        assert sorted(ran, key=len) == [[], every]  # one migrated, the other found it done
        with psycopg.connect(pg_server.url(name)) as connection:
            rows = connection.execute("SELECT version FROM schema_migrations ORDER BY 1")
            assert [row[0] for row in rows] == every
    finally:
        pg_server.drop_database(name)


async def test_a_database_that_cannot_be_written_is_unavailable_storage(
    pg_url: str, pg_server: PgServer
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    with pg_server.admin() as admin:  # as a standby, or a database made read-only
        admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on".encode())
    database = open_pg_database(pg_url, min_size=1, max_size=2)
    try:
        with pytest.raises(StorageUnavailableError):
            async with PgUnitOfWork(database) as uow:
                await uow.users.add(a_user("u1", "ada@example.com"))
        assert await database.read("SELECT count(*) FROM users") == [(0,)]  # reads still work
    finally:
        await database.close()


async def test_many_first_users_at_once_open_the_pool_once(pg: PgDatabase) -> None:
    # no lifespan opened it: 40 reads arrive at a closed pool together
    answers = await asyncio.gather(*(pg.read("SELECT 1") for _ in range(40)))
    assert answers == [[(1,)]] * 40
