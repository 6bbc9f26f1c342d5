"""Refresh-token families: rotation, the grace window for replays, reuse detection."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from domain.errors import TokenExpiredError, TokenRevokedError


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """One row of `refresh_tokens`. `expires_at` is the family's absolute end: rotation
    copies it to the successor, so a family never outlives its login (security.md #22)."""

    jti: str
    user_id: str
    family_id: str
    parent_jti: str | None
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    replaced_by: str | None = None

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.replaced_by is None

    def successor(self, jti: str, now: datetime) -> RefreshToken:
        return RefreshToken(
            jti=jti,
            user_id=self.user_id,
            family_id=self.family_id,
            parent_jti=self.jti,
            issued_at=now,
            expires_at=self.expires_at,
        )

    def retired(self, successor_jti: str) -> RefreshToken:
        return replace(self, replaced_by=successor_jti)


def start_family(
    *, jti: str, family_id: str, user_id: str, now: datetime, lifetime: timedelta
) -> RefreshToken:
    return RefreshToken(
        jti=jti,
        user_id=user_id,
        family_id=family_id,
        parent_jti=None,
        issued_at=now,
        expires_at=now + lifetime,
    )


class RefreshUse(Enum):
    ROTATE = "rotate"  # first use: issue the single successor
    REPLAY = "replay"  # the immediately previous token, within grace: the same successor again
    REUSE = "reuse"  # anything else already rotated: the family is compromised


def classify_use(
    token: RefreshToken, successor: RefreshToken | None, now: datetime, grace: timedelta
) -> RefreshUse:
    """Decide what presenting `token` means. `successor` is the row named by `replaced_by`."""
    if token.revoked_at is not None:  # logout or family revocation
        raise TokenRevokedError()
    if now >= token.expires_at:
        raise TokenExpiredError()
    if token.replaced_by is None:
        return RefreshUse.ROTATE
    if successor is None or not successor.is_live:
        return RefreshUse.REUSE
    within_grace = grace > timedelta(0) and now - successor.issued_at <= grace
    return RefreshUse.REPLAY if within_grace else RefreshUse.REUSE
