"""security.md #41: the headers arrive on every response, HSTS only behind https."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from entrypoints.web import create_app
from entrypoints.web.api_client import ApiClient
from tests.web.conftest import make_settings

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
TEMPLATES = Path(__file__).parents[2] / "entrypoints" / "web" / "templates"
STATIC_SCRIPT = re.compile(
    r"<script src=\"\{\{ url_for\('static', filename='[a-z_-]+\.js'\) \}\}\" defer></script>"
)


def assert_security_headers(headers: dict[str, str] | object) -> None:
    assert headers["Content-Security-Policy"] == CSP  # type: ignore[index]
    assert headers["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"  # type: ignore[index]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"  # type: ignore[index]
    assert headers["X-Frame-Options"] == "DENY"  # type: ignore[index]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/login"),
        ("GET", "/register"),
        ("GET", "/"),
        ("GET", "/healthz"),
        ("GET", "/nope"),
        ("GET", "/logout"),
        ("POST", "/login"),
        ("GET", "/static/app.css"),
    ],
)
def test_every_response_carries_the_security_headers(
    client: FlaskClient, method: str, path: str
) -> None:
    with client.open(path, method=method) as response:  # closes the static file stream
        headers = response.headers

    assert_security_headers(headers)
    assert "Strict-Transport-Security" not in headers


def test_signed_in_pages_are_not_stored(signed_in: FlaskClient) -> None:
    for path in ("/", "/account/password"):
        assert signed_in.get(path).headers["Cache-Control"] == "no-store"


def test_auth_forms_are_not_stored(client: FlaskClient) -> None:
    for path in ("/login", "/register"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_only_when_cookies_are_secure(tmp_path: Path, api_client: ApiClient) -> None:
    app = create_app(make_settings(tmp_path, secure_cookies=True), api_client)

    response = app.test_client().get("/login", base_url="https://localhost")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_templates_hold_no_inline_script_style_or_handlers() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8").lower()
        # A script only as a static file: `<script src="…static…" defer></script>`, empty.
        text = STATIC_SCRIPT.sub("", text)
        assert "<script" not in text, template
        assert "<style" not in text, template
        assert "style=" not in text, template
        assert not re.search(r"\son[a-z]+\s*=", text), template


def test_pages_load_scripts_only_from_static_files(signed_in: FlaskClient) -> None:
    page = signed_in.get("/text").text

    assert '<script src="/static/text.js" defer></script>' in page
    assert len(re.findall(r"<script", page)) == len(re.findall(r'<script src="/static/', page))


def test_the_app_never_runs_in_debug_mode(client: FlaskClient) -> None:
    assert client.application.debug is False
