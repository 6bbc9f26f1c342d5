"""Sign-in answers the token pair and the signed-in user (as `/auth/me` does), so a client
needs no second request; the token fields are unchanged and refresh answers as before."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, Account

TOKEN_FIELDS = {"access_token", "refresh_token", "token_type", "expires_in", "refresh_expires_in"}


def me(client: TestClient, tokens: dict[str, Any]) -> dict[str, Any]:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_login_answers_the_user_as_auth_me_does(
    client: TestClient, ada: Account, form: bool
) -> None:
    sent = (
        {"data": {"username": ada.email, "password": PASSWORD, "grant_type": "password"}}
        if form
        else {"json": {"email": ada.email, "password": PASSWORD}}
    )
    response = client.post("/auth/login", **sent)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.keys() == TOKEN_FIELDS | {"user"}
    assert body["user"] == me(client, body)
    assert body["user"]["id"] == ada.id and body["user"]["role"] == "user"
    assert "password" not in str(body["user"]).lower()


ADMIN = {"admin_email": "root@example.com", "admin_password": "an admin passphrase for tests"}


@pytest.mark.parametrize("settings_overrides", [ADMIN])
def test_an_admin_signs_in_as_an_admin(client: TestClient) -> None:
    response = client.post(
        "/auth/login", json={"email": ADMIN["admin_email"], "password": ADMIN["admin_password"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] == "admin"
    assert response.json()["user"] == me(client, response.json())


def test_refresh_answers_the_token_pair_as_before(client: TestClient, ada: Account) -> None:
    response = client.post("/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]})
    assert response.status_code == 200, response.text
    assert response.json().keys() == TOKEN_FIELDS


def test_the_openapi_schema_documents_the_user(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    answer = spec["paths"]["/auth/login"]["post"]["responses"]["200"]["content"]
    ref = answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    assert schema["properties"].keys() == TOKEN_FIELDS | {"user"}
    assert schema["properties"]["user"] == {"$ref": "#/components/schemas/UserOut"}
    assert {"access_token", "refresh_token", "user"} <= set(schema["required"])
    refresh = spec["paths"]["/auth/refresh"]["post"]["responses"]["200"]["content"]
    assert refresh["application/json"]["schema"]["$ref"].endswith("/TokenPairOut")
