"""The Locks port on both engines: one holder per key; other keys pass; a waiter cancelled
takes nothing. With PostgreSQL, two PgAdvisoryLocks (two processes: two pools, two server
sessions) exclude each other on one database, a task's nested keys use one connection,
and no advisory lock outlives its hold, even a cancelled one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import psycopg
import pytest

from adapters.postgres.locks import PgAdvisoryLocks
from application.locks import KeyedLocks
from application.ports.system import Locks

Make = Callable[[], Locks]


@pytest.fixture(params=["memory", "postgres"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """Builds the engine's Locks; for the embedded engine every call answers the one
    process's instance, for PostgreSQL each call is another process's."""
    if request.param == "memory":
        shared = KeyedLocks()
        yield lambda: shared
        return
    url = request.getfixturevalue("pg_url")
    made: list[PgAdvisoryLocks] = []

    def build() -> Locks:
        made.append(PgAdvisoryLocks(url, size=2))
        return made[-1]

    yield build
    for locks in made:
        await locks.close()


async def test_one_holder_at_a_time_per_key_and_other_keys_pass(make: Make) -> None:
    first, second = make(), make()
    entered, release = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with first.hold("owner:u1"):
            order.append("first in")
            entered.set()
            await release.wait()
            order.append("first out")

    async def waiter() -> None:
        await entered.wait()
        async with second.hold("owner:u1"):
            order.append("second in")

    tasks = [asyncio.create_task(holder()), asyncio.create_task(waiter())]
    await entered.wait()
    async with second.hold("owner:u2"):  # another key is not held up
        order.append("other key")
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["first in", "other key", "first out", "second in"]


async def test_a_cancelled_waiter_takes_nothing(make: Make) -> None:
    first, second = make(), make()
    entered, release = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with first.hold("k"):
            entered.set()
            await release.wait()

    held = asyncio.create_task(holder())
    await entered.wait()
    waiting = asyncio.create_task(_enter(second, "k"))
    await reached_its_wait(second)
    assert not waiting.done()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await held
    async with asyncio.timeout(10), first.hold("k"), make().hold("other"):
        pass


async def test_a_task_holds_several_keys_at_once(make: Make) -> None:
    locks = make()
    async with locks.hold("role:admin"), locks.hold("u1"), locks.hold("owner:u1"):
        pass
    async with asyncio.timeout(10), make().hold("u1"):
        pass


async def _enter(locks: Locks, key: str) -> None:
    async with locks.hold(key):
        pass


def advisory_locks(url: str, *, waiting: bool = False) -> int:
    """Advisory locks held (or waited for) on the server, by every session."""
    sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted <> %s"
    with psycopg.connect(url, autocommit=True) as connection:
        found = connection.execute(sql, [waiting]).fetchone()
    assert found is not None
    return int(found[0])


async def reached_its_wait(locks: Locks) -> None:
    """Until a task waits for a key: in the server's lock table, or for the in-process lock
    (which a waiter reaches without leaving the event loop)."""
    if not isinstance(locks, PgAdvisoryLocks):
        for _ in range(10):
            await asyncio.sleep(0)
        return
    url = locks.pool.conninfo
    async with asyncio.timeout(10):
        while not advisory_locks(url, waiting=True):
            await asyncio.sleep(0.02)


async def test_postgres_nested_holds_of_many_tasks_never_starve_a_small_pool(
    pg_url: str,
) -> None:
    locks = PgAdvisoryLocks(pg_url, size=2)
    try:

        async def nested(n: int) -> None:
            async with locks.hold(f"a{n}"), locks.hold(f"b{n}"), locks.hold("shared"):
                await asyncio.sleep(0)

        async with asyncio.timeout(20):
            await asyncio.gather(*(nested(n) for n in range(12)))
        assert len(locks) == 0
    finally:
        await locks.close()
    assert advisory_locks(pg_url) == 0


async def test_postgres_no_advisory_lock_outlives_a_cancelled_hold(pg_url: str) -> None:
    first, second = PgAdvisoryLocks(pg_url, size=1), PgAdvisoryLocks(pg_url, size=1)
    entered = asyncio.Event()
    try:

        async def stuck() -> None:
            async with first.hold("k"), first.hold("k2"):
                entered.set()
                await asyncio.Event().wait()

        inside = asyncio.create_task(stuck())
        await entered.wait()
        waiting = asyncio.create_task(_enter(second, "k"))
        await reached_its_wait(second)
        for task in (waiting, inside):
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        async with asyncio.timeout(10):  # both keys free again, on either side
            await _enter(second, "k")
            await _enter(second, "k2")
            await _enter(first, "k")
        async with asyncio.timeout(10):  # the pool resets returned connections in a task
            while advisory_locks(pg_url):
                await asyncio.sleep(0.05)
    finally:
        await first.close()
        await second.close()


async def test_any_text_is_a_key_even_with_nul(make: Make) -> None:
    async with asyncio.timeout(10), make().hold("conversation:\x00'; --"):
        pass
