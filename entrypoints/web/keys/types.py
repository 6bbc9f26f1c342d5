"""The JSON shapes of the API's key routes (keys_contract.md)."""

from __future__ import annotations

from typing import TypedDict


class ApiKeyJson(TypedDict):
    """One key of `GET /api-keys` and `GET /users/{id}/api-keys`: never its secret."""

    id: str
    name: str
    prefix: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None


class ApiKeyListJson(TypedDict):
    data: list[ApiKeyJson]


class NewApiKeyJson(TypedDict):
    """`POST /api-keys`: the only answer that holds the key itself."""

    id: str
    name: str
    prefix: str
    key: str
    created_at: str
    expires_at: str | None
