"""Ports of sign-in: users, refresh tokens, password hashing, token codec, throttle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.tokens import RefreshToken
from domain.users import Role, User


class UserRepository(Protocol):
    async def get(self, user_id: str) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None: ...
    async def set_password_hash(self, user_id: str, password_hash: str) -> None: ...
    async def set_role(self, user_id: str, role: Role) -> None: ...
    async def count_admins(self) -> int: ...
    async def delete(self, user_id: str) -> None: ...


class RefreshTokenRepository(Protocol):
    async def get(self, jti: str) -> RefreshToken | None: ...
    async def get_for_update(self, jti: str) -> RefreshToken | None:
        """`get`, and the row stays locked against a concurrent rotation or revocation until
        the transaction ends (SELECT ... FOR UPDATE where the engine has row locks)."""
        ...

    async def add(self, token: RefreshToken) -> None: ...
    async def retire(self, jti: str, successor_jti: str) -> bool:
        """Set `replaced_by` only if the token is still live; False when another won."""
        ...

    async def revoke_family(self, family_id: str, now: datetime) -> None: ...
    async def revoke_user_families(
        self, user_id: str, now: datetime, *, keep_family: str | None = None
    ) -> None: ...

    async def delete_for_user(self, user_id: str) -> None: ...


class UserLookup(Protocol):
    """The per-request read of a user (existence and current role), cheap and current."""

    async def get(self, user_id: str) -> User | None: ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...
    async def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        """Verify (a dummy verify when `password_hash` is None); return a re-hash if due."""
        ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    role: str
    family_id: str | None
    jti: str


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    user_id: str
    jti: str
    family_id: str


class TokenIssuer(Protocol):
    access_ttl_s: int

    def issue_access(self, user: User, family_id: str, now: datetime) -> str: ...
    def read_access(self, token: str, now: datetime) -> AccessClaims: ...
    def encode_refresh(self, token: RefreshToken) -> str:
        """Deterministic: the same row always encodes to the same string."""
        ...

    def read_refresh(self, token: str, now: datetime) -> RefreshClaims: ...


@dataclass(frozen=True, slots=True)
class ThrottleSlot:
    """One password check reserved under a LoginThrottle: it counts from `reserve` on."""

    id: int
    keys: tuple[str, ...]
    account: str | None
    client: str


class LoginThrottle(Protocol):
    """Password checks counted per account and per client address in a sliding window
    (security.md #7). A check is reserved before the hash, so parallel attempts cannot get
    more checks than the limit; a reservation left behind ages out with the window."""

    def reserve(self, *, account: str | None, client: str, now: datetime) -> ThrottleSlot | int:
        """A slot under the account's key (if any) and the client's, or the seconds to wait.
        The account's key is its own for a client that signed in to it before (familiar)."""
        ...

    def fail(self, slot: ThrottleSlot) -> list[str]:
        """The check failed: the slot stays a failure. The kinds ("account", "client") that
        this failure locked."""
        ...

    def succeed(self, slot: ThrottleSlot, now: datetime) -> None:
        """The password was right: the slot is freed, the account key's failures are cleared
        and the client becomes familiar to the account. The client's failures stay."""
        ...
