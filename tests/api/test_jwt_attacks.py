"""security.md #10-#17: forged, mistyped and hostile tokens all get 401, never 5xx."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import SECRET, Account
from tests.api.test_auth_api import assert_problem


def api_now(account: Account) -> int:
    """The API's (fake) clock, which stands still from when the fixtures began."""
    container = account.client.app.state.container  # type: ignore[attr-defined]
    return int(container.clock().now().timestamp())


def claims_for(account: Account, **changes: Any) -> dict[str, Any]:
    now = api_now(account)
    base = {
        "iss": "allucanget",
        "aud": "allucanget:api",
        "sub": account.id,
        "role": "admin",
        "iat": now,
        "exp": now + 900,
        "jti": "j",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forge(
    account: Account, *, key: str = SECRET, alg: str = "HS256", typ: str = "at+jwt", **changes: Any
) -> str:
    return jwt.encode(claims_for(account, **changes), key, algorithm=alg, headers={"typ": typ})


ATTACKS: dict[str, Any] = {
    "alg none": lambda a: f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{b64(claims_for(a))}.",
    "HS512 with the right key": lambda a: forge(a, alg="HS512"),
    "RS256 header on an HMAC body": lambda a: (
        f"{b64({'alg': 'RS256', 'typ': 'at+jwt'})}.{b64(claims_for(a))}." + forge(a).split(".")[2]
    ),
    "another key": lambda a: forge(a, key="another-signing-key-0123456789abcdef"),
    "wrong audience": lambda a: forge(a, aud="someone-else"),
    "wrong issuer": lambda a: forge(a, iss="evil"),
    "refresh type": lambda a: forge(a, typ="rt+jwt"),
    "no type": lambda a: jwt.encode(claims_for(a), SECRET, algorithm="HS256"),
    "missing exp": lambda a: forge(a, exp=None),
    "missing iat": lambda a: forge(a, iat=None),
    "missing sub": lambda a: forge(a, sub=None),
    "missing jti": lambda a: forge(a, jti=None),
    "missing aud": lambda a: forge(a, aud=None),
    "missing iss": lambda a: forge(a, iss=None),
    "iat in the future": lambda a: forge(a, iat=api_now(a) + 3600),
    "nbf in the future": lambda a: forge(a, nbf=api_now(a) + 3600),
    "unknown subject": lambda a: forge(a, sub="no-such-user"),
    "tampered signature": lambda a: forge(a)[:-4] + "AAAA",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_forged_tokens_are_refused(client: TestClient, ada: Account, attack: str) -> None:
    token = ATTACKS[attack](ada)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "token_invalid")


def test_an_expired_token_is_token_expired(client: TestClient, ada: Account) -> None:
    now = api_now(ada)
    token = forge(ada, iat=now - 1000, exp=now - 1)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "token_expired")


def test_a_refresh_token_is_not_a_bearer_token(client: TestClient, ada: Account) -> None:
    response = client.get(
        "/auth/me", headers={"Authorization": f"Bearer {ada.tokens['refresh_token']}"}
    )
    assert_problem(response, 401, "token_invalid")


def test_the_role_claim_is_not_trusted(client: TestClient, ada: Account) -> None:
    assert (
        client.get("/auth/me", headers={"Authorization": f"Bearer {forge(ada)}"}).json()["role"]
        == "user"
    )


@pytest.mark.parametrize(
    "header",
    [
        "Basic YWRhOnB3",
        "Bearer",
        "Bearer ",
        "Bearer a.b",
        "Bearer " + "QUJD" * 50,
        "Bearer " + "a" * 8192,
        "Bearer x.y.z Bearer x.y.z",
        "bearer\tx",
        "Token abc",
        "Bearer \x7f",
    ],
)
def test_hostile_authorization_headers_get_401(client: TestClient, header: str) -> None:
    response = client.get("/auth/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] in {"token_invalid", "not_authenticated"}
