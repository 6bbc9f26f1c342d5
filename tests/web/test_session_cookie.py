"""security.md #39: the session cookie's flags, name, lifetime, size, and no fixation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.http import parse_date

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from entrypoints.web.security import session_key
from entrypoints.web.session import SESSION_ID, STORE_EXTENSION
from entrypoints.web.session_store import RETAIN_S
from tests.web.conftest import PASSWORD, FakeApi, csrf_token, make_settings, sign_in
from tests.web.planted import plant_session


def cookie_attributes(set_cookie: str) -> dict[str, str]:
    name_value, *attributes = (part.strip() for part in set_cookie.split(";"))
    pairs = dict(attr.partition("=")[::2] for attr in attributes)
    return {"name": name_value.partition("=")[0], **{k.lower(): v for k, v in pairs.items()}}


def test_cookie_is_httponly_and_lax_without_https(client: FlaskClient, fake_api: FakeApi) -> None:
    response = sign_in(client, fake_api)

    cookie = cookie_attributes(response.headers["Set-Cookie"])
    assert cookie["name"] == "allucanget_session"
    assert "httponly" in cookie
    assert cookie["samesite"] == "Lax"
    assert "secure" not in cookie


def test_cookie_is_secure_with_a_host_prefix_behind_https(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    settings = make_settings(tmp_path, secure_cookies=True, refresh_family_ttl_s=3600)
    client = create_app(settings, api_client).test_client()
    fake_api.add_user("ada@example.com")
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/login"}}
    token = csrf_token(client, "/login", **https)

    response = client.post(
        "/login",
        data={"email": "ada@example.com", "password": PASSWORD, "csrf_token": token},
        **https,
    )

    assert response.status_code == 302
    cookie = cookie_attributes(response.headers["Set-Cookie"])
    assert cookie["name"] == "__Host-allucanget"
    assert {"secure", "httponly"} <= cookie.keys()
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert "domain" not in cookie
    expires = parse_date(cookie["expires"])
    assert expires is not None
    # The row dies with the family; the cookie (an id only) is kept RETAIN_S longer so that
    # the sign-in page can say the session expired.
    assert expires <= datetime.now(UTC) + timedelta(seconds=3600 + RETAIN_S + 5)


def test_login_starts_a_fresh_session(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")
    token = csrf_token(client, "/login")
    planted = plant_session(client, "at-x", "rt-x", "mallory@example.com")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"

    data = {"email": "ada@example.com", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302

    with client.session_transaction() as after:
        assert "planted" not in after
        assert after[SESSION_ID] != planted  # a new id: no fixation
    store = client.application.extensions[STORE_EXTENSION]
    assert store.get(planted) is None
    assert store.get(after[SESSION_ID]).email == "ada@example.com"


def test_the_cookie_holds_only_an_opaque_session_id(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("a" * 60 + "@example.com")

    response = sign_in(client, fake_api, email="a" * 60 + "@example.com")

    assert len(response.headers["Set-Cookie"]) < 256
    with client.session_transaction() as session:
        assert set(session) <= {SESSION_ID, "_permanent"}
    cookie = response.headers["Set-Cookie"]
    assert "at-" not in cookie and "rt-" not in cookie and "aaaa" not in cookie


def test_the_session_key_is_derived_not_the_platform_secret(client: FlaskClient) -> None:
    secret = "s" * 40

    assert client.application.secret_key == session_key(secret)
    assert client.application.secret_key != secret.encode()
