"""The ApiKeyRepository contract, on the fake unit of work and on DuckDB; and the DuckDB
lookup by digest, which caches keys and sees a revocation at once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.sql.api_keys import SqlApiKeyLookup
from adapters.sql.cache import KeyCache
from application.keys.create_api_key import CreateApiKey, CreatedKey
from application.locks import KeyedLocks
from application.ports.system import UnitOfWork
from domain.api_keys import MAX_LIVE_KEYS, ApiKey, TooManyKeysError
from domain.users import Role, User
from tests.fake_api_keys import FakeKeyDigester
from tests.fakes import FakeClock, FakeIdGenerator
from tests.integration.conftest import NOW
from tests.integration.contracts import uow  # noqa: F401 (fixture)


def a_key(kid: str, user: str = "u1", minutes: int = 0, **fields: object) -> ApiKey:
    key = ApiKey(
        id=kid,
        user_id=user,
        name=f"name {kid}",
        prefix=f"agk_{kid}"[:12],
        digest=f"digest-{kid}",
        created_at=NOW + timedelta(minutes=minutes),
    )
    return replace(key, **fields)  # type: ignore[arg-type]


async def store(uow: UnitOfWork, *keys: ApiKey) -> None:
    async with uow:
        for key in keys:
            await uow.api_keys.add(key)
        await uow.commit()


async def test_a_key_comes_back_as_stored(uow: UnitOfWork) -> None:
    key = a_key("k1", expires_at=NOW + timedelta(days=3), last_used_at=NOW)
    await store(uow, key)
    async with uow:
        assert await uow.api_keys.get("k1") == key
        assert await uow.api_keys.get("nope") is None


async def test_live_keys_are_the_unrevoked_unexpired_ones_newest_first(uow: UnitOfWork) -> None:
    await store(
        uow,
        a_key("old", minutes=0),
        a_key("new", minutes=5),
        a_key("expired", minutes=1, expires_at=NOW + timedelta(minutes=9)),
        a_key("revoked", minutes=2, revoked_at=NOW),
        a_key("other", user="u2"),
    )
    async with uow:
        live = await uow.api_keys.live_for_user("u1", NOW + timedelta(minutes=10))
    assert [k.id for k in live] == ["new", "old"]


async def test_revocation_one_and_all_and_touch(uow: UnitOfWork) -> None:
    await store(uow, a_key("a"), a_key("b", minutes=1), a_key("c", user="u2"))
    later = NOW + timedelta(minutes=3)
    async with uow:
        await uow.api_keys.revoke("a", later)
        await uow.api_keys.touch("b", later)
        await uow.commit()
    async with uow:
        assert (await uow.api_keys.get("a")).revoked_at == later  # type: ignore[union-attr]
        assert (await uow.api_keys.get("b")).last_used_at == later  # type: ignore[union-attr]
        revoked = await uow.api_keys.revoke_for_user("u1", later)
        await uow.commit()
    assert [k.id for k in revoked] == ["b"]  # "a" was revoked already
    async with uow:
        assert await uow.api_keys.live_for_user("u1", later) == []
        assert [k.id for k in await uow.api_keys.live_for_user("u2", later)] == ["c"]


async def test_deletion_is_per_user_and_rolls_back_without_commit(uow: UnitOfWork) -> None:
    await store(uow, a_key("a"), a_key("c", user="u2"))
    async with uow:
        await uow.api_keys.delete_for_user("u1")  # no commit: rolled back
    async with uow:
        assert await uow.api_keys.get("a") is not None
        await uow.api_keys.delete_for_user("u1")
        await uow.commit()
    async with uow:
        assert await uow.api_keys.get("a") is None
        assert await uow.api_keys.get("c") is not None


async def test_the_duckdb_lookup_finds_by_digest_and_sees_revocation_at_once(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "t.duckdb", 4)
    try:
        work, lookup = DuckDBUnitOfWork(database), SqlApiKeyLookup(database)
        await store(work, a_key("a"))
        found = await lookup.by_digest("digest-a")
        assert found is not None and found.id == "a" and found.is_live(NOW)
        assert await lookup.by_digest("digest-b") is None
        async with work:
            await work.api_keys.revoke("a", NOW)
            await work.commit()
        again = await lookup.by_digest("digest-a")
        assert again is not None and not again.is_live(NOW)
    finally:
        database.close()


async def test_parallel_creations_stop_at_the_limit(uow: UnitOfWork) -> None:
    async with uow:
        await uow.users.add(User("u1", "ada@example.com", Role.USER, "hash", NOW))
        await uow.commit()
    create = CreateApiKey(uow, FakeKeyDigester(), FakeClock(NOW), FakeIdGenerator(), KeyedLocks())
    results = await asyncio.gather(
        *(
            create.execute(user_id="u1", name="k", expires_in_days=None)
            for _ in range(MAX_LIVE_KEYS + 5)
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(r, CreatedKey) for r in results) == MAX_LIVE_KEYS
    assert all(isinstance(r, CreatedKey | TooManyKeysError) for r in results), results
    async with uow:
        assert len(await uow.api_keys.live_for_user("u1", NOW)) == MAX_LIVE_KEYS


async def test_the_lookup_serves_repeats_from_its_cache_until_a_commit_changes_the_key(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "t.duckdb", 2)
    reads: list[str] = []
    read = database.read

    async def counted(sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        reads.append(sql)
        return await read(sql, params)  # type: ignore[arg-type]

    database.read = counted  # type: ignore[method-assign]
    try:
        work, lookup = DuckDBUnitOfWork(database), SqlApiKeyLookup(database)
        await store(work, a_key("a"), a_key("b"), a_key("c", user="u2"), a_key("d", user="u3"))
        for digest in ("digest-a", "digest-b", "digest-c", "digest-d"):
            await lookup.by_digest(digest)
        assert len(reads) == 4
        await lookup.by_digest("digest-a")
        assert len(reads) == 4  # served from the cache
        changes = {
            "digest-a": lambda uow: uow.api_keys.revoke("a", NOW),
            "digest-b": lambda uow: uow.api_keys.touch("b", NOW),
            "digest-c": lambda uow: uow.api_keys.revoke_for_user("u2", NOW),
            "digest-d": lambda uow: uow.api_keys.delete_for_user("u3"),
        }
        for digest, change in changes.items():
            async with work:
                await change(work)
                await work.commit()
            before = len(reads)
            found = await lookup.by_digest(digest)
            assert len(reads) == before + 1, digest  # evicted by the commit: read again
            assert found is None or found.revoked_at == NOW or found.last_used_at == NOW
        assert (await lookup.by_digest("digest-a")).revoked_at == NOW  # type: ignore[union-attr]
        assert await lookup.by_digest("digest-d") is None
    finally:
        database.close()


def test_a_key_read_that_raced_a_commit_is_not_cached() -> None:
    cache = KeyCache()
    _, generation = cache.get("digest-a")  # the read starts
    cache.evict({"a"})  # a revocation commits meanwhile
    cache.put(a_key("a"), generation)  # the read's (stale) copy arrives
    assert cache.get("digest-a")[0] is None
    _, generation = cache.get("digest-a")
    cache.put(a_key("a"), generation)
    assert cache.get("digest-a")[0] == a_key("a")
    cache.evict(set())  # a commit that changed no key keeps the cache
    assert cache.get("digest-a")[0] == a_key("a")
    cache.evict({"u1"})  # by owner
    assert cache.get("digest-a")[0] is None
