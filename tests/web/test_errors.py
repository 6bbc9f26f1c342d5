"""Friendly error pages: API down, unknown page, crash; never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from flask import Flask

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import PASSWORD, csrf_token, make_settings


@pytest.fixture
def api_down_app(tmp_path: Path) -> Flask:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return create_app(make_settings(tmp_path), ApiClient(f"http://127.0.0.1:{port}"))


def test_api_down_gives_a_friendly_503(api_down_app: Flask) -> None:
    client = api_down_app.test_client()
    data = {
        "email": "ada@example.com",
        "password": PASSWORD,
        "csrf_token": csrf_token(client, "/login"),
    }

    response = client.post("/login", data=data)

    assert response.status_code == 503
    assert "The service is temporarily unavailable." in response.text
    assert "Traceback" not in response.text
    assert "ConnectError" not in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_health_needs_no_api(api_down_app: Flask) -> None:
    response = api_down_app.test_client().get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


def test_unknown_pages_get_a_404_page(api_down_app: Flask) -> None:
    response = api_down_app.test_client().get("/no/such/page")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_crash_gives_a_plain_500(api_down_app: Flask) -> None:
    def boom() -> str:
        raise RuntimeError("secret internals")

    api_down_app.add_url_rule("/boom", view_func=boom)

    response = api_down_app.test_client().get("/boom")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
