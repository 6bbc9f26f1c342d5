"""Schemas of API keys: the key itself appears only in the answer that created it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from application.keys.create_api_key import CreatedKey
from domain.api_keys import MAX_LIFETIME_DAYS, MAX_NAME_LENGTH, ApiKey
from entrypoints.api.schemas.common import CopiedOut, StrictIn


class ApiKeyIn(StrictIn):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    expires_in_days: int | None = Field(None, ge=1, le=MAX_LIFETIME_DAYS)


class ApiKeyOut(CopiedOut):
    """A key without its secret: `prefix` is its first 12 characters, to recognise it."""

    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiKeyListOut(BaseModel):
    data: list[ApiKeyOut]

    @classmethod
    def of(cls, keys: list[ApiKey]) -> ApiKeyListOut:
        return cls(data=[ApiKeyOut.of(key) for key in keys])


class CreatedApiKeyOut(BaseModel):
    """`key` is shown in this answer only: it is stored as a digest and cannot be shown
    again. Send it as `Authorization: Bearer agk_...`."""

    id: str
    name: str
    prefix: str
    key: str
    created_at: datetime
    expires_at: datetime | None

    @classmethod
    def of(cls, created: CreatedKey) -> CreatedApiKeyOut:
        key = created.key
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            key=created.secret,
            created_at=key.created_at,
            expires_at=key.expires_at,
        )
