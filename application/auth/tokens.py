"""The token pair handed to a signed-in client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports.auth import TokenIssuer
from domain.tokens import RefreshToken
from domain.users import User


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    family_id: str
    user: User  # the signed-in user, so a client needs no `/auth/me` straight after


def pair_for(user: User, refresh: RefreshToken, tokens: TokenIssuer, now: datetime) -> TokenPair:
    return TokenPair(
        access_token=tokens.issue_access(user, refresh.family_id, now),
        refresh_token=tokens.encode_refresh(refresh),
        expires_in=tokens.access_ttl_s,
        refresh_expires_in=max(0, int((refresh.expires_at - now).total_seconds())),
        family_id=refresh.family_id,
        user=user,
    )
