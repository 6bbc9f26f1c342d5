"""What an API key reaches (an admin's key, so that the role is no excuse): generation,
conversations, history, media, models and the caller's own reads; never key management,
the password, sign-out or any admin route (403 key_not_allowed)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.api_key_fixtures import KeyHolder
from tests.api.conftest import Account
from tests.api.generation_fixtures import IMAGE_MODEL, TEXT_MODEL, ada, admin, api  # noqa: F401
from tests.api.test_admin_api import ADMIN_ROUTES, call
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

ACCOUNT_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api-keys", {"name": "another"}),
    ("GET", "/api-keys", None),
    ("DELETE", "/api-keys/{key}", None),
    ("PUT", "/auth/password", {"current_password": "x" * 8, "new_password": "y" * 12}),
    ("POST", "/auth/logout", {"refresh_token": "x"}),
]


@pytest.fixture
def admin_key(api: TestClient, admin: Account) -> KeyHolder:
    return KeyHolder(api, admin, "admin automation")


class AsKey(Account):
    """`call()` of the admin tests, with the key's headers."""

    def __init__(self, holder: KeyHolder) -> None:
        self.holder = holder

    @property
    def headers(self) -> dict[str, str]:
        return self.holder.headers


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_every_admin_route_refuses_an_admins_key(
    api: TestClient, admin_key: KeyHolder, ada: Account, method: str, path: str
) -> None:
    answer = call(api, method, path.replace("{key_id}", admin_key.id), AsKey(admin_key), ada.id)
    assert_problem(answer, 403, "key_not_allowed")


@pytest.mark.parametrize(("method", "path", "body"), ACCOUNT_ROUTES)
def test_account_routes_refuse_a_key(
    api: TestClient,
    admin: Account,
    admin_key: KeyHolder,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    url = path.replace("{key}", admin_key.id)
    answer = api.request(method, url, json=body, headers=admin_key.headers)
    assert_problem(answer, 403, "key_not_allowed")
    assert api.get("/auth/me", headers=admin_key.headers).status_code == 200  # still live
    assert len(api.get("/api-keys", headers=admin.headers).json()["data"]) == 1


def test_a_wrong_key_on_an_account_route_is_401(api: TestClient) -> None:
    wrong = {"Authorization": "Bearer agk_" + "A" * 43}
    assert_problem(api.get("/api-keys", headers=wrong), 401, "token_invalid")
    assert_problem(api.get("/users", headers=wrong), 401, "token_invalid")


def test_generation_history_media_and_conversations_work_with_a_key(
    api: TestClient, admin: Account, admin_key: KeyHolder
) -> None:
    key = admin_key.headers
    assert api.get("/models", headers=key).status_code == 200
    assert api.get("/me/budget", headers=key).status_code == 200
    assert api.get("/auth/me", headers=key).json()["id"] == admin.id
    text = api.post("/generate/text", json={"prompt": "hi", "model": TEXT_MODEL}, headers=key)
    assert text.status_code == 200, text.text
    streamed = api.post(
        "/generate/text/stream", json={"prompt": "hi", "model": TEXT_MODEL}, headers=key
    )
    assert streamed.status_code == 200 and "event: done" in streamed.text
    image = api.post("/generate/image", json={"prompt": "a cat", "model": IMAGE_MODEL}, headers=key)
    assert image.status_code == 200, image.text
    assert api.get(image.json()["images"][0]["url"], headers=key).status_code == 200
    history = api.get("/generations", headers=key)
    assert history.status_code == 200 and len(history.json()["data"]) == 3
    generation_id = text.json()["id"]
    assert api.get(f"/generations/{generation_id}", headers=key).status_code == 200
    assert api.delete(f"/generations/{generation_id}", headers=key).status_code == 204
    chat = api.post("/conversations", json={"model": TEXT_MODEL}, headers=key)
    assert chat.status_code == 201, chat.text
    url = f"/conversations/{chat.json()['id']}"
    sent = api.post(f"{url}/messages", json={"content": "hello"}, headers=key)
    assert sent.status_code == 200, sent.text
    assert api.get("/conversations", headers=key).json()["data"][0]["id"] == chat.json()["id"]
    # what the key did is the owner's: the session sees it
    assert api.get(url, headers=admin.headers).status_code == 200


def test_an_admins_key_reaches_only_its_owners_things(
    api: TestClient, admin: Account, admin_key: KeyHolder, ada: Account
) -> None:
    body = {"prompt": "a cat", "model": IMAGE_MODEL}
    image = api.post("/generate/image", json=body, headers=ada.headers).json()
    url, generation = image["images"][0]["url"], f"/generations/{image['id']}"
    assert api.get(url, headers=admin.headers).status_code == 200  # the admin's session may
    assert api.get(generation, headers=admin.headers).status_code == 200
    assert_problem(api.get(url, headers=admin_key.headers), 404, "not_found")
    assert_problem(api.get(generation, headers=admin_key.headers), 404, "not_found")
    assert_problem(api.delete(generation, headers=admin_key.headers), 404, "not_found")
