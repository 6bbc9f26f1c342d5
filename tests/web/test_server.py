"""server.py: waitress serves the app with a bland Server header."""

from __future__ import annotations

import re
import threading

import httpx
from flask import Flask

from entrypoints.web.server import build_server
from tests.web.conftest import PASSWORD, FakeApi

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def test_waitress_serves_the_app_with_a_bland_server_header(app: Flask) -> None:
    server = build_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.effective_port}") as http:
            response = http.get("/login")
    finally:
        server.close()
        thread.join(timeout=5)

    assert response.status_code == 200
    assert response.headers["Server"] == "allucanget"
    assert "Via" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    assert not thread.is_alive()


def test_waitress_hands_x_forwarded_for_to_the_app(app: Flask, fake_api: FakeApi) -> None:
    """waitress 3 drops proxy headers by default: the web UI would forward its own peer for
    every browser, and one address's failures would lock everyone out (security.md #7)."""
    fake_api.add_user("ada@example.com")
    server = build_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    try:
        url = f"http://127.0.0.1:{server.effective_port}"
        with httpx.Client(base_url=url, headers=headers) as http:
            token = CSRF.search(http.get("/login").text)
            assert token is not None
            data = {"email": "ada@example.com", "password": PASSWORD, "csrf_token": token[1]}
            response = http.post("/login", data=data)
    finally:
        server.close()
        thread.join(timeout=5)

    assert response.status_code == 302
    assert fake_api.forwarded_for == ["198.51.100.7"]


def test_the_thread_count_is_configurable(app: Flask) -> None:
    server = build_server(app, "127.0.0.1", 0, threads=64)
    try:
        assert server.adj.threads == 64
        assert server.adj.connection_limit >= 64
    finally:
        server.close()
