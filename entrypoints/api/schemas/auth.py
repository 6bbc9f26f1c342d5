"""Schemas of the auth routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from application.auth.tokens import TokenPair
from domain.users import EMAIL_PATTERN, User
from entrypoints.api.schemas.common import CopiedOut, StrictIn

# Bounds keep hostile bodies cheap; the password policy (8..1024) answers 422 weak_password.
# The schema says what the domain accepts (domain/users.py), so clients and fuzzers see it.
Email = Field(min_length=3, max_length=254, pattern=EMAIL_PATTERN)
Password = Field(min_length=1, max_length=4096)
NewPassword = Field(min_length=8, max_length=1024)
Token = Field(min_length=1, max_length=4096)


class CredentialsIn(StrictIn):
    email: str = Field(min_length=1, max_length=320)
    password: str = Password


class RegisterIn(StrictIn):
    email: str = Email
    password: str = NewPassword


class RefreshIn(StrictIn):
    refresh_token: str = Token


class PasswordChangeIn(StrictIn):
    current_password: str = Password
    new_password: str = NewPassword


class UserOut(BaseModel):
    id: str
    email: str
    role: Literal["user", "admin"]
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, role=user.role.value, created_at=user.created_at)


class TokenPairOut(CopiedOut):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int
    refresh_expires_in: int


class SignedInOut(TokenPairOut):
    """What sign-in answers: the token pair and the signed-in user, as `/auth/me` answers it
    (so a client needs no second request)."""

    user: UserOut

    @classmethod
    def signed_in(cls, pair: TokenPair) -> SignedInOut:
        return cls(**TokenPairOut.of(pair).model_dump(), user=UserOut.of(pair.user))
