"""At most N generations in flight per user, so one user cannot hold every waitress thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from flask import current_app

from entrypoints.web.session import SessionExpiredError, current_user

BUSY_MESSAGE = (
    "You already have {limit} generations running. Wait for one to finish, then try again."
)


class TooManyGenerationsError(Exception):
    """This user's generations in flight are at the cap: answer 429, start nothing."""

    def __init__(self, limit: int) -> None:
        super().__init__(BUSY_MESSAGE.format(limit=limit))
        self.message = BUSY_MESSAGE.format(limit=limit)


class InFlight:
    """A counter per user id, guarded by one lock."""

    EXTENSION = "allucanget_inflight"

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def acquire(self, user_id: str) -> Callable[[], None]:
        """Take a slot or raise TooManyGenerationsError; returns the slot's release (idempotent)."""
        with self._lock:
            count = self._counts.get(user_id, 0)
            if count >= self.per_user:
                raise TooManyGenerationsError(self.per_user)
            self._counts[user_id] = count + 1
        released = threading.Event()

        def release() -> None:
            with self._lock:
                if released.is_set():
                    return
                released.set()
                left = self._counts[user_id] - 1
                if left:
                    self._counts[user_id] = left
                else:
                    del self._counts[user_id]

        return release

    def count(self, user_id: str) -> int:
        with self._lock:
            return self._counts.get(user_id, 0)


def inflight() -> InFlight:
    return cast(InFlight, current_app.extensions[InFlight.EXTENSION])


def take_slot() -> Callable[[], None]:
    """A slot for the signed-in user; its release must be called once the work is over."""
    user = current_user()
    if user is None:
        raise SessionExpiredError
    return inflight().acquire(user["id"])


@contextmanager
def generation_slot() -> Iterator[None]:
    release = take_slot()
    try:
        yield
    finally:
        release()
