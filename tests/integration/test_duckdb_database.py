"""The DuckDB adapter against the real engine: migrations, the file lock, the clean close
and the worker pool under load and cancellation (security.md #45-#47, section 5)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import duckdb

from adapters.duckdb.database import Database, open_database
from adapters.duckdb.migrate import available, migrate
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from tests.integration.conftest import a_token, a_user, api_env, query
from tests.servers import free_port

TRY_TO_OPEN = """
import sys
from pathlib import Path
from adapters.duckdb.database import open_database
try:
    open_database(Path(sys.argv[1]), 1).close()
except Exception as exc:
    print(type(exc).__name__, exc)
else:
    print("opened")
"""


async def seed(database: Database) -> None:
    async with DuckDBUnitOfWork(database) as uow:
        await uow.users.add(a_user())
        await uow.refresh_tokens.add(a_token("t1"))
        await uow.commit()


def test_migrations_are_recorded_once_and_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    open_database(path, 1).close()
    ledger = "SELECT version, name, applied_at FROM schema_migrations ORDER BY 1"
    first = query(path, ledger)
    open_database(path, 1).close()

    assert [row[:2] for row in first] == [(version, name) for version, name, _ in available()]
    assert [row[:2] for row in first[:2]] == [(1, "0001_users.sql"), (2, "0002_refresh_tokens.sql")]
    assert query(path, ledger) == first
    with duckdb.connect(str(path)) as connection:
        assert migrate(connection) == []


def test_migrating_an_empty_database_applies_every_migration_in_order() -> None:
    with duckdb.connect(":memory:") as connection:
        applied = migrate(connection)
        again = migrate(connection)
        tables = {
            row[0]
            for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
    assert applied[:2] == [1, 2]
    assert applied == sorted(applied) == [version for version, _, _ in available()]
    assert again == []
    assert {"users", "refresh_tokens", "schema_migrations"} <= tables


def test_a_second_process_cannot_open_the_database_and_is_told_why(
    database: Database, tmp_path: Path
) -> None:
    # the database stays open here throughout: an opener that waited for the lock would never
    # print an answer, and the subprocess timeout would end the test instead
    result = subprocess.run(
        [sys.executable, "-c", TRY_TO_OPEN, str(tmp_path / "t.duckdb")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.startswith("DatabaseLockedError"), result.stdout + result.stderr
    assert "already open in another allucanget API process" in result.stdout


def test_a_second_api_on_the_same_data_dir_exits_with_a_clear_message(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    holder = open_database(data_dir / "allucanget.duckdb", 1)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "entrypoints.cli",
                "api",
                "--data-dir",
                str(data_dir),
                "--api-port",
                str(free_port()),
                "--host",
                "127.0.0.1",
            ],
            env=api_env(),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        holder.close()

    assert result.returncode == 1
    assert "only one API process may use a data directory" in result.stderr


async def test_a_clean_close_checkpoints_so_no_wal_is_left(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.duckdb", 2)
    await seed(database)
    database.close()

    assert not (tmp_path / "t.duckdb.wal").exists()
    assert query(tmp_path / "t.duckdb", "SELECT count(*) FROM refresh_tokens") == [(1,)]


async def test_fifty_concurrent_units_of_work_all_finish_on_two_workers(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.duckdb", 2)

    async def register(n: int) -> None:
        async with DuckDBUnitOfWork(database) as uow:
            await uow.users.add(a_user(f"u{n}", f"u{n}@example.com"))
            await asyncio.sleep(0.001)  # hold the worker across an await, as a use case does
            await uow.commit()

    try:
        await asyncio.wait_for(asyncio.gather(*(register(n) for n in range(50))), timeout=30)
        assert await database.read("SELECT count(*) FROM users") == [(50,)]
    finally:
        database.close()


async def all_workers_can_be_acquired(database: Database, count: int) -> bool:
    """`count` acquisitions all succeed at their first step (a free worker is taken without
    waiting); one that has to wait means a worker leaked. No timeout involved."""
    tasks = [asyncio.create_task(database.acquire()) for _ in range(count)]
    await asyncio.sleep(0)  # one step for each task, not a pause
    taken = [task.result() for task in tasks if task.done()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for worker in taken:
        database.release(worker)
    return len(taken) == count


async def test_a_task_cancelled_while_waiting_for_a_worker_leaks_nothing(
    database: Database,
) -> None:
    held = [await database.acquire() for _ in range(4)]
    waiters = [asyncio.create_task(database.acquire()) for _ in range(3)]
    await asyncio.sleep(0)
    for waiter in waiters:
        waiter.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    for worker in held:
        database.release(worker)

    assert await all_workers_can_be_acquired(database, 4)


async def test_a_task_cancelled_right_after_the_hand_over_gives_the_worker_back(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "t.duckdb", 1)
    try:
        worker = await database.acquire()
        waiter = asyncio.create_task(database.acquire())
        await asyncio.sleep(0)  # the waiter queues
        database.release(worker)  # schedules the hand-over
        await asyncio.sleep(0)  # the hand-over runs; the waiter is due to resume
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)

        assert await all_workers_can_be_acquired(database, 1)
    finally:
        database.close()


async def test_a_unit_of_work_cancelled_during_begin_leaves_its_worker_usable(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "t.duckdb", 1)
    try:
        worker, gate, begun = await database.acquire(), threading.Event(), threading.Event()
        worker.cursor = BeginSpy(worker.cursor, begun)  # type: ignore[assignment]
        busy = asyncio.ensure_future(worker.run(gate.wait))  # BEGIN will queue behind this
        database.release(worker)
        entering = asyncio.create_task(DuckDBUnitOfWork(database).__aenter__())
        await asyncio.sleep(0)  # one step: the unit of work queues its BEGIN
        gate.set()
        # the loop stays blocked until the worker thread has run BEGIN: the cancel lands after
        assert begun.wait(timeout=60), "BEGIN never ran"
        entering.cancel()
        await asyncio.gather(entering, busy, return_exceptions=True)

        async with DuckDBUnitOfWork(database) as uow:
            assert await uow.users.count_admins() == 0
    finally:
        database.close()


class BeginSpy:
    """The worker's cursor, setting `begun` once a BEGIN statement has run on it."""

    def __init__(self, cursor: Any, begun: threading.Event) -> None:
        self._cursor, self._begun = cursor, begun

    def execute(self, sql: str, params: Any = None) -> Any:
        result = self._cursor.execute(sql, params)
        if sql.lstrip().upper().startswith("BEGIN"):
            self._begun.set()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)
