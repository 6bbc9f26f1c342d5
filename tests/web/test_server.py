"""server.py: waitress serves the app with a bland Server header."""

from __future__ import annotations

import threading

import httpx
from flask import Flask

from entrypoints.web.server import build_server


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
