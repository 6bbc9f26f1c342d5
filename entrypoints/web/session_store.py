"""The web UI's server-side sessions: the token pair stays here, the cookie holds only an id.

One SQLite file (mode 0600) in the web UI's data directory, so sessions survive a restart. A
row lives until its refresh family ends (`expires_at`); after that its tokens are blanked and
the row is kept for RETAIN_S more, only so the sign-in page can say the session expired.
Every request of a session reads the same row, so two tabs never hold different token pairs:
a refresh is done once, under the session's lock, and every request sees the new pair.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RETAIN_S = 7 * 24 * 3600  # how long an expired session is remembered (and its cookie kept)
PURGE_EVERY_S = 300.0
LOCK_STRIPES = 64  # per-session refresh locks, striped: bounded memory, no cleanup needed
SCHEMA = """
CREATE TABLE IF NOT EXISTS web_session (
    id TEXT PRIMARY KEY,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    user_id TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    expires_at REAL NOT NULL
)
"""
COLUMNS = "access_token, refresh_token, user_id, email, role, expires_at"


@dataclass(frozen=True, slots=True)
class Entry:
    access_token: str
    refresh_token: str
    user_id: str
    email: str
    role: str
    expires_at: float  # when the refresh family ends (epoch seconds)


class SessionStore:
    """Thread-safe: one connection behind one lock (every statement is a key lookup)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]
        self._next_purge = 0.0
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # tokens: owner only
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)

    def now(self) -> float:
        return self._clock()

    def create(self, entry: Entry) -> str:
        """A new random id for a new session (no fixation: an old id is never reused)."""
        self._purge_now_and_then()
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._db.execute(
                f"INSERT INTO web_session (id, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                (
                    session_id,
                    entry.access_token,
                    entry.refresh_token,
                    entry.user_id,
                    entry.email,
                    entry.role,
                    entry.expires_at,
                ),
            )
        return session_id

    def get(self, session_id: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM web_session WHERE id = ?",  # noqa: S608
                (session_id,),
            ).fetchone()
        return None if row is None else Entry(*row)

    def replace_pair(self, session_id: str, access: str, refresh: str, expires_at: float) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE web_session SET access_token = ?, refresh_token = ?, expires_at = ? "
                "WHERE id = ?",
                (access, refresh, expires_at, session_id),
            )

    def set_user(self, session_id: str, email: str, role: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE web_session SET email = ?, role = ? WHERE id = ?", (email, role, session_id)
            )

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM web_session WHERE id = ?", (session_id,))

    def refresh_lock(self, session_id: str) -> threading.Lock:
        """The lock a refresh of this session is done under."""
        return self._stripes[hash(session_id) % LOCK_STRIPES]

    def purge(self) -> None:
        """Blank the tokens of ended families; forget them RETAIN_S later."""
        now = self._clock()
        with self._lock:
            self._db.execute(
                "UPDATE web_session SET access_token = '', refresh_token = '' "
                "WHERE expires_at <= ? AND refresh_token != ''",
                (now,),
            )
            self._db.execute("DELETE FROM web_session WHERE expires_at <= ?", (now - RETAIN_S,))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _purge_now_and_then(self) -> None:
        if self._clock() >= self._next_purge:
            self._next_purge = self._clock() + PURGE_EVERY_S
            self.purge()
