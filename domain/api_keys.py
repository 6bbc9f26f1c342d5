"""API keys: long-lived bearer secrets of one user, stored only as a keyed digest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.errors import Error

KEY_PREFIX = "agk_"
SHOWN_PREFIX = 12  # characters of the key kept in clear, to recognise it in a list
MAX_LIVE_KEYS = 20
MAX_NAME_LENGTH = 100
MAX_LIFETIME_DAYS = 3650
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


class TooManyKeysError(Error):
    """The user already has the maximum of live keys (409)."""

    code = "too_many_keys"
    default_detail = f"At most {MAX_LIVE_KEYS} live API keys per user; revoke one first."


class KeyNotAllowedError(Error):
    """An API key on a route kept for a signed-in person (403, even for an admin's key)."""

    code = "key_not_allowed"
    default_detail = "API keys cannot be used here; sign in with your password."


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One row of `api_keys`. `digest` is HMAC-SHA-256 of the whole key under a server
    secret (hex); the key itself is never stored."""

    id: str
    user_id: str
    name: str
    prefix: str
    digest: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def use_is_due(self, now: datetime) -> bool:
        """Whether this use should be written down (at most once a minute)."""
        return self.last_used_at is None or now - self.last_used_at >= LAST_USED_EVERY

    def revoked(self, now: datetime) -> ApiKey:
        return replace(self, revoked_at=now)


def looks_like_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def shown_prefix(key: str) -> str:
    return key[:SHOWN_PREFIX]


def expiry(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now + timedelta(days=days)
