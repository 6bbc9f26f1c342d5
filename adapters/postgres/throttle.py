"""PgLoginThrottle: the LoginThrottle port in PostgreSQL, shared by every API process.

The same rules as adapters/security/throttle.py (InMemoryLoginThrottle, whose docstring
says them): one `login_checks` row per check and key, in flight until the check reports
back; `login_familiar` holds the addresses an account signed in from. A reservation reads
its keys and inserts its rows in one transaction under transaction-scoped advisory locks on
its keys, taken in sorted order (no deadlock), so parallel attempts in any process get no
more checks than the limit. Rows that left the window are deleted by the process that
notices, at most once per `purge_every_s`, through an index on their time."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from adapters.postgres.database import PgDatabase
from adapters.postgres.statements import Connection, Transaction, naive, rows, seconds
from application.ports.auth import LoginThrottle, ThrottleSlot

FAMILIAR_S = 30 * 86400  # as InMemoryLoginThrottle
FAMILIAR_PER_ACCOUNT = 8

# the keys' advisory locks in one statement, in sorted order (the caller sorts; volatile
# functions in a target list are evaluated after ORDER BY): no two checks deadlock
LOCK = b"""SELECT pg_advisory_xact_lock(hashtextextended('login ' || key, 0))
    FROM unnest(%s::text[]) WITH ORDINALITY AS keys (key, n) ORDER BY n"""
SEEN = b"SELECT seen_at FROM login_familiar WHERE account = %s AND client = %s"
CHECKS = b"""SELECT key, at, in_flight FROM login_checks WHERE key = ANY(%s) AND at > %s
    ORDER BY at"""
ADD = b"""WITH slot AS (SELECT nextval('login_check_ids') AS id)
    INSERT INTO login_checks (key, slot_id, at, in_flight)
    SELECT key, slot.id, %s, true FROM unnest(%s::text[]) AS key, slot RETURNING slot_id"""
FAILED = b"UPDATE login_checks SET in_flight = false WHERE slot_id = %s RETURNING key, at"
FAILURES = b"""SELECT key, count(*) FROM login_checks
    WHERE key = ANY(%s) AND at > %s AND NOT in_flight GROUP BY key"""
# a right password: its own rows go; the failures of its account key too (an address's stay)
SUCCEEDED = b"""DELETE FROM login_checks WHERE key = ANY(%s)
    AND (slot_id = %s OR (NOT in_flight AND key NOT LIKE 'client:%%'))"""
REMEMBER = b"""INSERT INTO login_familiar (account, client, seen_at) VALUES (%s, %s, %s)
    ON CONFLICT (account, client) DO UPDATE SET seen_at = excluded.seen_at"""
KEEP_RECENT = b"""DELETE FROM login_familiar WHERE account = %s AND client NOT IN
    (SELECT client FROM login_familiar WHERE account = %s ORDER BY seen_at DESC LIMIT %s)"""
# SKIP LOCKED: a purge never waits for (nor deadlocks with) the checks being written
PURGE_CHECKS = b"""DELETE FROM login_checks WHERE (key, slot_id) IN (SELECT key, slot_id
    FROM login_checks WHERE at <= %s FOR UPDATE SKIP LOCKED)"""
PURGE_FAMILIAR = b"""DELETE FROM login_familiar WHERE (account, client) IN (SELECT account,
    client FROM login_familiar WHERE seen_at <= %s FOR UPDATE SKIP LOCKED)"""


class PgLoginThrottle(LoginThrottle):
    def __init__(
        self,
        database: PgDatabase,
        *,
        limits: dict[str, int],
        window_s: int,
        familiar_s: int = FAMILIAR_S,
        purge_every_s: float = 60.0,
    ) -> None:
        self._database = database
        self._limits = limits
        self._window = timedelta(seconds=window_s)
        self._familiar = timedelta(seconds=familiar_s)
        self._purge_every = timedelta(seconds=purge_every_s)
        self._purged: datetime | None = None

    async def reserve(
        self, *, account: str | None, client: str, now: datetime
    ) -> ThrottleSlot | int:
        moment = naive(now)
        account = None if account is None else _text(account)
        client = _text(client)
        async with Transaction(self._database) as connection:
            await self._purge(connection, moment)
            keys = await self._keys(connection, account, client, moment)
            await _lock(connection, keys)
            found = await rows(connection, CHECKS, [list(keys), moment - self._window])
            wait = max(
                self._wait(key, [(at, busy) for k, at, busy in found if k == key], moment)
                for key in keys
            )
            if wait:
                return wait
            added = await rows(connection, ADD, [moment, list(keys)])
        return ThrottleSlot(int(added[0][0]), keys, account, client)

    async def fail(self, slot: ThrottleSlot) -> list[str]:
        async with Transaction(self._database) as connection:
            await _lock(connection, slot.keys)
            failed = await rows(connection, FAILED, [slot.id])
            if not failed:  # aged out or cleared meanwhile: it filled nothing
                return []
            keys = [key for key, _ in failed]
            found = await rows(connection, FAILURES, [keys, failed[0][1] - self._window])
        filled = {key for key, count in found if count == self._limit(key)}
        return [_kind(key) for key in slot.keys if key in filled]

    async def succeed(self, slot: ThrottleSlot, now: datetime) -> None:
        async with Transaction(self._database) as connection:
            await _lock(connection, slot.keys)
            await connection.execute(SUCCEEDED, [list(slot.keys), slot.id])
            if slot.account is not None:
                await connection.execute(REMEMBER, [slot.account, slot.client, naive(now)])
                await connection.execute(
                    KEEP_RECENT, [slot.account, slot.account, FAMILIAR_PER_ACCOUNT]
                )

    async def _keys(
        self, connection: Connection, account: str | None, client: str, moment: datetime
    ) -> tuple[str, ...]:
        if account is None:
            return (f"client:{client}",)
        seen = await rows(connection, SEEN, [account, client])
        if seen and seen[0][0] > moment - self._familiar:
            return (f"familiar:{client} {account}", f"client:{client}")
        return (f"account:{account}", f"client:{client}")

    def _wait(self, key: str, checks: list[tuple[datetime, bool]], moment: datetime) -> int:
        """As InMemoryLoginThrottle: 0 when the key has room, 1 s when checks in flight
        fill it, else until its oldest failure that counts leaves the window."""
        limit = self._limit(key)
        if len(checks) < limit:
            return 0
        failures = [at for at, in_flight in checks if not in_flight]
        if len(failures) < limit:
            return 1
        oldest = seconds(failures[len(failures) - limit])
        left = oldest + self._window.total_seconds() - seconds(moment)
        return max(1, math.floor(left) + 1)

    async def _purge(self, connection: Connection, moment: datetime) -> None:
        if self._purged is not None and moment - self._purged < self._purge_every:
            return
        self._purged = moment
        await connection.execute(PURGE_CHECKS, [moment - self._window])
        await connection.execute(PURGE_FAMILIAR, [moment - self._familiar])

    def _limit(self, key: str) -> int:
        return self._limits.get(_kind(key), 10)


async def _lock(connection: Connection, keys: tuple[str, ...]) -> None:
    await connection.execute(LOCK, [sorted(keys)])


def _text(value: str) -> str:
    """PostgreSQL's text holds no NUL: one becomes U+FFFD, as the stored text does (two
    addresses or emails that differ only there share a count: stricter, never looser)."""
    return value.replace("\x00", "\ufffd")


def _kind(key: str) -> str:
    prefix = key.split(":", 1)[0]
    return "account" if prefix == "familiar" else prefix
