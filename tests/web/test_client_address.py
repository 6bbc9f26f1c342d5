"""security.md #7: the web UI forwards the browser's address, believing X-Forwarded-For only
from a trusted proxy (the same rule as the API: entrypoints/forwarded.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from entrypoints.forwarded import client_address
from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import PASSWORD, FakeApi, csrf_token, make_settings


def post_login(client: FlaskClient, fake_api: FakeApi, **environ: str) -> None:
    fake_api.add_user("ada@example.com")
    token = csrf_token(client, "/login")
    data = {"email": "ada@example.com", "password": PASSWORD, "csrf_token": token}
    headers = {"X-Forwarded-For": environ.pop("forwarded")} if "forwarded" in environ else {}
    client.post("/login", data=data, headers=headers, environ_overrides=environ)


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_browsers(
    client: FlaskClient, fake_api: FakeApi
) -> None:
    post_login(client, fake_api, forwarded="198.51.100.7")  # the peer is 127.0.0.1: trusted

    assert fake_api.forwarded_for == ["198.51.100.7"]


def test_a_browser_cannot_choose_its_address(client: FlaskClient, fake_api: FakeApi) -> None:
    post_login(client, fake_api, forwarded="198.51.100.7", REMOTE_ADDR="203.0.113.9")

    assert fake_api.forwarded_for == ["203.0.113.9"]


def test_the_trusted_proxies_are_configurable(
    tmp_path: Path, api_client: ApiClient, fake_api: FakeApi
) -> None:
    settings = make_settings(tmp_path, trusted_proxies="10.9.0.2")
    client = create_app(settings, api_client).test_client()

    post_login(client, fake_api, forwarded="198.51.100.7", REMOTE_ADDR="10.9.0.2")

    assert fake_api.forwarded_for == ["198.51.100.7"]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", "203.0.113.1, 198.51.100.7", "198.51.100.7"),  # the right-most hop
        ("127.0.0.1", "198.51.100.7, 127.0.0.1", "198.51.100.7"),  # trusted hops skipped
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # untrusted peer: header ignored
        (None, "198.51.100.7", "unknown"),
    ],
)
def test_the_rule(peer: str | None, forwarded: str | None, expected: str) -> None:
    assert client_address(peer, forwarded, ("127.0.0.1", "::1")) == expected
