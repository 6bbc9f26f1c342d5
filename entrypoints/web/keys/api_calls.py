"""The API key routes of the API client (ApiClient takes them in as a base class)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from entrypoints.web.keys.types import ApiKeyJson, NewApiKeyJson


class KeyCalls:
    """Each method is one API call, always with the session's access token (a key cannot
    manage keys); ApiClient supplies `_send`."""

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        raise NotImplementedError

    def api_keys(self, access_token: str) -> list[ApiKeyJson]:
        page = self._send("GET", "/api-keys", headers=_bearer(access_token))
        return cast(list[ApiKeyJson], page.get("data") or [])

    def create_api_key(
        self, access_token: str, name: str, expires_in_days: int | None
    ) -> NewApiKeyJson:
        body: dict[str, Any] = {"name": name}
        if expires_in_days is not None:
            body["expires_in_days"] = expires_in_days
        answer = self._send("POST", "/api-keys", json=body, headers=_bearer(access_token))
        return cast(NewApiKeyJson, answer)

    def revoke_api_key(self, access_token: str, key_id: str) -> None:
        path = f"/api-keys/{quote(key_id, safe='')}"
        self._send("DELETE", path, headers=_bearer(access_token))

    def user_api_keys(self, access_token: str, user_id: str) -> list[ApiKeyJson]:
        path = f"/users/{quote(user_id, safe='')}/api-keys"
        page = self._send("GET", path, headers=_bearer(access_token))
        return cast(list[ApiKeyJson], page.get("data") or [])

    def revoke_user_api_key(self, access_token: str, user_id: str, key_id: str) -> None:
        path = f"/users/{quote(user_id, safe='')}/api-keys/{quote(key_id, safe='')}"
        self._send("DELETE", path, headers=_bearer(access_token))


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
