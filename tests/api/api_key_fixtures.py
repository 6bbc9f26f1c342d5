"""An API key as a test account: `KeyHolder(account).headers` sends `Bearer agk_...`."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Account


def create_key(api: TestClient, who: Account, name: str = "laptop", **extra: Any) -> Any:
    return api.post("/api-keys", json={"name": name, **extra}, headers=who.headers)


class KeyHolder:
    """A key of `owner`, created over HTTP; `.headers` authenticate with it."""

    def __init__(self, api: TestClient, owner: Account, name: str = "laptop", **extra: Any):
        response = create_key(api, owner, name, **extra)
        assert response.status_code == 201, response.text
        self.owner, self.body = owner, dict(response.json())
        self.id, self.key = self.body["id"], self.body["key"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}
