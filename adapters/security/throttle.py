"""InMemoryLoginThrottle: failed sign-ins counted per key in a sliding window."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime

from application.ports import LoginThrottle


class InMemoryLoginThrottle(LoginThrottle):
    """security.md #7: temporary locks only. A key that reached its limit waits until its
    oldest failure leaves the window; success on an account clears that account's count.
    Limits per key prefix (`account:`, `client:`)."""

    def __init__(self, *, limits: dict[str, int], window_s: int, max_keys: int = 100_000) -> None:
        self._limits = limits
        self._window = window_s
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, keys: list[str], now: datetime) -> int:
        moment = now.timestamp()
        with self._lock:
            waits = [self._wait(key, moment) for key in keys]
        return max(waits, default=0)

    def record_failure(self, keys: list[str], now: datetime) -> list[str]:
        moment = now.timestamp()
        locked = []
        with self._lock:
            if len(self._failures) >= self._max_keys:
                self._evict(moment)
            for key in keys:
                self._failures.setdefault(key, deque()).append(moment)
                if self._wait(key, moment) and len(self._failures[key]) == self._limit(key):
                    locked.append(key)
        return locked

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _wait(self, key: str, moment: float) -> int:
        failures = self._failures.get(key)
        if not failures:
            return 0
        while failures and failures[0] <= moment - self._window:
            failures.popleft()
        limit = self._limit(key)
        if len(failures) < limit:
            return 0
        oldest_that_counts = failures[len(failures) - limit]
        return max(1, int(oldest_that_counts + self._window - moment) + 1)

    def _limit(self, key: str) -> int:
        return self._limits.get(key.split(":", 1)[0], 10)

    def _evict(self, moment: float) -> None:
        stale = [k for k, v in self._failures.items() if not v or v[-1] <= moment - self._window]
        for key in stale:
            del self._failures[key]
