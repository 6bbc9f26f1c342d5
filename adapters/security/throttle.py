"""InMemoryLoginThrottle: password checks per key in a sliding window, reserved before the hash."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime

from application.ports.auth import LoginThrottle, ThrottleSlot

FAMILIAR_S = 30 * 86400  # a sign-in makes its address familiar to the account this long
FAMILIAR_PER_ACCOUNT = 8  # the most recent addresses kept per account

Entry = tuple[float, int]  # when a check was reserved, and its slot's id


class InMemoryLoginThrottle(LoginThrottle):
    """security.md #7: temporary locks only. A key holds the checks of the window: failures
    and the reservations still in flight, which count too, so parallel attempts get no more
    checks than the limit. A full key refuses until its oldest failure leaves the window (a
    second when checks in flight fill it). A right password clears its account key.

    Keys: `client:<address>` (limit "client"); `account:<email>`, shared by every address
    (limit "account"); and `familiar:<address> <email>` (limit "account") for an address the
    account signed in from within `familiar_s`, so that strangers failing elsewhere never lock
    the owner out where they signed in before: they lock only the shared account key."""

    def __init__(
        self,
        *,
        limits: dict[str, int],
        window_s: int,
        max_keys: int = 100_000,
        familiar_s: int = FAMILIAR_S,
    ) -> None:
        self._limits = limits
        self._window = window_s
        self._max_keys = max_keys
        self._familiar_s = familiar_s
        self._entries: dict[str, deque[Entry]] = {}
        self._in_flight: dict[int, float] = {}  # slot id -> when it was reserved
        self._familiar: dict[str, OrderedDict[str, float]] = {}  # account -> address -> when
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    async def reserve(
        self, *, account: str | None, client: str, now: datetime
    ) -> ThrottleSlot | int:
        moment = now.timestamp()
        with self._lock:
            if len(self._entries) >= self._max_keys:
                self._evict(moment)
            keys = self._keys(account, client, moment)
            wait = max(self._wait(key, moment) for key in keys)
            if wait:
                return wait
            slot = ThrottleSlot(next(self._ids), keys, account, client)
            self._in_flight[slot.id] = moment
            for key in keys:
                self._entries.setdefault(key, deque()).append((moment, slot.id))
        return slot

    async def fail(self, slot: ThrottleSlot) -> list[str]:
        with self._lock:
            self._in_flight.pop(slot.id, None)
            return [_kind(key) for key in slot.keys if self._just_filled(key, slot.id)]

    async def succeed(self, slot: ThrottleSlot, now: datetime) -> None:
        with self._lock:
            self._in_flight.pop(slot.id, None)
            for key in slot.keys:
                if key.startswith("client:"):  # an address's failures stay (its own account
                    self._drop(key, lambda entry: entry[1] == slot.id)  # would reset them)
                else:  # the account's failures go; other checks in flight stay
                    self._drop(key, lambda entry: entry[1] not in self._in_flight)
            if slot.account is not None:
                self._remember(slot.account, slot.client, now.timestamp())

    def _keys(self, account: str | None, client: str, moment: float) -> tuple[str, ...]:
        if account is None:
            return (f"client:{client}",)
        addresses = self._familiar.get(account)
        seen = addresses.get(client) if addresses else None
        if seen is not None and seen > moment - self._familiar_s:
            return (f"familiar:{client} {account}", f"client:{client}")
        return (f"account:{account}", f"client:{client}")

    def _wait(self, key: str, moment: float) -> int:
        entries = self._entries.get(key)
        if not entries:
            return 0
        while entries and entries[0][0] <= moment - self._window:
            entries.popleft()
        limit = self._limit(key)
        if len(entries) < limit:
            return 0
        failures = [when for when, slot in entries if slot not in self._in_flight]
        if len(failures) < limit:
            return 1  # full of checks in flight: they end within a hash's time
        oldest_that_counts = failures[len(failures) - limit]
        return max(1, int(oldest_that_counts + self._window - moment) + 1)

    def _just_filled(self, key: str, slot_id: int) -> bool:
        entries = self._entries.get(key, deque())
        if all(slot != slot_id for _, slot in entries):  # aged out or cleared meanwhile
            return False
        failures = sum(1 for _, slot in entries if slot not in self._in_flight)
        return failures == self._limit(key)

    def _drop(self, key: str, gone: Callable[[Entry], bool]) -> None:
        entries = self._entries.get(key)
        if entries is None:
            return
        kept = deque(entry for entry in entries if not gone(entry))
        if kept:
            self._entries[key] = kept
        else:
            del self._entries[key]

    def _remember(self, account: str, client: str, moment: float) -> None:
        addresses = self._familiar.setdefault(account, OrderedDict())
        addresses[client] = moment
        addresses.move_to_end(client)
        while len(addresses) > FAMILIAR_PER_ACCOUNT:
            addresses.popitem(last=False)

    def _limit(self, key: str) -> int:
        return self._limits.get(_kind(key), 10)

    def _evict(self, moment: float) -> None:
        horizon = moment - self._window
        stale = [k for k, v in self._entries.items() if not v or v[-1][0] <= horizon]
        for key in stale:
            del self._entries[key]
        for slot_id in [s for s, when in self._in_flight.items() if when <= horizon]:
            del self._in_flight[slot_id]  # a request that never reported back
        for account in [
            a
            for a, v in self._familiar.items()
            if next(reversed(v.values())) <= moment - self._familiar_s
        ]:
            del self._familiar[account]


def _kind(key: str) -> str:
    """The limit (and the audit's name) of a key: a familiar address's key is the account's."""
    prefix = key.split(":", 1)[0]
    return "account" if prefix == "familiar" else prefix
