"""The LISTEN/NOTIFY user cache (adapters/postgres/user_events.py, measured against a read
per request): a change committed through one process evicts the user from another's cache
once the notice arrives, and while the listener is lost that cache serves nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import psycopg
import pytest

from adapters.postgres.database import PgDatabase, open_pg_database
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_events import ListenedUserCache, UserEventListener
from adapters.sql.users import SqlUserLookup
from domain.users import Role
from tests.integration.conftest import a_user


class SignallingCache(ListenedUserCache):
    """Sets `evicted` when a notice evicts someone."""

    def __init__(self) -> None:
        super().__init__()
        self.evicted = asyncio.Event()

    def evict(self, user_ids: set[str]) -> None:
        super().evict(user_ids)
        self.evicted.set()


@dataclass
class Processes:
    writer: PgDatabase  # process A: changes users
    reader: PgDatabase  # process B: checks them, with the listened cache
    cache: SignallingCache
    listener: UserEventListener


@pytest.fixture
async def processes(pg_url: str) -> AsyncIterator[Processes]:
    writer = open_pg_database(pg_url, min_size=1, max_size=2)
    reader = open_pg_database(pg_url, min_size=1, max_size=2)
    cache = SignallingCache()
    reader.user_cache = cache
    listener = UserEventListener(pg_url, cache)
    listener.start()
    async with asyncio.timeout(10):
        await listener.connected.wait()
    async with PgUnitOfWork(writer) as uow:
        await uow.users.add(a_user())
        await uow.commit()
    try:
        yield Processes(writer, reader, cache, listener)
    finally:
        await listener.stop()
        await writer.close()
        await reader.close()


async def test_a_role_change_in_one_process_evicts_the_user_in_the_other(
    processes: Processes,
) -> None:
    lookup = SqlUserLookup(processes.reader)
    assert (await lookup.get("u1")).role is Role.USER  # type: ignore[union-attr]
    assert processes.cache.get("u1")[0] is not None  # cached: the next check reads nothing
    async with PgUnitOfWork(processes.writer) as uow:
        await uow.users.set_role("u1", Role.ADMIN)
        await uow.commit()
    async with asyncio.timeout(10):
        await processes.cache.evicted.wait()
    assert processes.cache.get("u1")[0] is None
    assert (await lookup.get("u1")).role is Role.ADMIN  # type: ignore[union-attr]


async def test_a_rolled_back_change_notifies_nobody(processes: Processes) -> None:
    lookup = SqlUserLookup(processes.reader)
    await lookup.get("u1")
    async with PgUnitOfWork(processes.writer) as uow:
        await uow.users.set_role("u1", Role.ADMIN)  # never committed
    async with PgUnitOfWork(processes.writer) as uow:  # a later commit that does notify
        await uow.users.set_password_hash("u1", "fake$1")
        await uow.commit()
    async with asyncio.timeout(10):
        await processes.cache.evicted.wait()
    assert (await lookup.get("u1")).role is Role.USER  # type: ignore[union-attr]


async def test_while_the_listener_is_lost_every_check_reads_the_database(
    processes: Processes, pg_url: str
) -> None:
    lookup = SqlUserLookup(processes.reader)
    await lookup.get("u1")
    with psycopg.connect(pg_url, autocommit=True) as admin:  # the listener's connection dies
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
    async with asyncio.timeout(10):
        await processes.listener.lost.wait()
    assert processes.cache.get("u1")[0] is None
    await lookup.get("u1")
    assert processes.cache.get("u1")[0] is None  # nothing is kept while deaf
    async with asyncio.timeout(10):
        await processes.listener.connected.wait()  # back, listening again
    await lookup.get("u1")
    assert processes.cache.get("u1")[0] is not None
