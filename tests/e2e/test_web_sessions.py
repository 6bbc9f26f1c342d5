"""The address chain browser -> web UI -> API, and one session in two browser contexts.

Real API and web UI processes on loopback: the web UI trusts loopback as a proxy (the
default ALLUCANGET_TRUSTED_PROXIES), so a test client plays a reverse proxy by sending
X-Forwarded-For; the API trusts the web UI the same way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.servers import Server, server_env

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "chief@example.com"
ADMIN_PASSWORD = "the chief admin's long passphrase"
ACCESS_TTL_S = 3  # whole seconds in the JWT: a 1 s token can lapse before it is used
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@dataclass
class Platform:
    api: Server
    web: Server

    def register(self, email: str) -> None:
        answer = httpx.post(
            f"{self.api.url}/auth/register", timeout=30, json={"email": email, "password": PASSWORD}
        )
        assert answer.status_code == 201, answer.text

    def audit_events(self) -> str:
        login = httpx.post(
            f"{self.api.url}/auth/login",
            timeout=30,
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        )
        token = login.json()["access_token"]
        audit = httpx.get(
            f"{self.api.url}/admin/audit",
            params={"limit": "200"},
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert audit.status_code == 200, audit.text
        return audit.text


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """Short access tokens and strict reuse detection (no grace): a refresh with a spent
    refresh token would revoke the family at once."""
    root = tmp_path_factory.mktemp("e2e-web-sessions")
    env = server_env(
        ALLUCANGET_ACCESS_TOKEN_TTL_S=str(ACCESS_TTL_S),
        ALLUCANGET_REFRESH_GRACE_S="0",
        ALLUCANGET_ADMIN_EMAIL=ADMIN_EMAIL,
        ALLUCANGET_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    api = Server("api", root / "data", env).start()
    web = Server("web", root / "data", {**env, "ALLUCANGET_API_URL": api.url}).start()
    yield Platform(api, web)
    web.stop()
    api.stop()


def web_sign_in(platform: Platform, email: str, password: str, address: str) -> httpx.Response:
    """A browser at `address`, behind a reverse proxy that says so in X-Forwarded-For."""
    headers = {"X-Forwarded-For": address}
    with httpx.Client(base_url=platform.web.url, headers=headers, timeout=30) as browser:
        form = browser.get("/login")
        match = CSRF.search(form.text)
        assert match, form.text
        data = {"email": email, "password": password, "csrf_token": match.group(1)}
        return browser.post("/login", data=data)


def test_failed_sign_ins_from_one_address_lock_out_that_address_only(
    platform: Platform,
) -> None:
    platform.register("ada@example.com")
    attacker, person = "198.51.100.7", "203.0.113.25"

    answers = [
        web_sign_in(platform, f"nobody{n}@example.com", "wrong password", attacker).status_code
        for n in range(25)
    ]

    assert set(answers[:20]) == {401}
    assert set(answers[20:]) == {429}
    assert web_sign_in(platform, "ada@example.com", PASSWORD, person).status_code == 302
    assert web_sign_in(platform, "ada@example.com", PASSWORD, attacker).status_code == 429


def test_two_tabs_of_one_session_never_sign_the_person_out(
    browser: Browser, platform: Platform
) -> None:
    """Tab A refreshes the pair; tab B still holds the cookie from before. With the tokens in
    the cookie, B would refresh with the spent refresh token: reuse, the family revoked."""
    platform.register("bo@example.com")
    first = browser.new_context()
    second = browser.new_context()
    try:
        tab_a, tab_b = first.new_page(), second.new_page()
        tab_a.goto(f"{platform.web.url}/login")
        tab_a.fill("#email", "bo@example.com")
        tab_a.fill("#password", PASSWORD)
        tab_a.get_by_role("button", name="Sign in").click()
        expect(tab_a.get_by_test_id("user-email")).to_have_text("bo@example.com")
        second.add_cookies(first.cookies())  # one session, two cookie jars that never sync

        for _ in range(2):
            time.sleep(ACCESS_TTL_S + 1.5)  # the access token has expired
            tab_a.goto(f"{platform.web.url}/history")  # refreshes
            expect(tab_a.get_by_role("heading", name="History")).to_be_visible()
            tab_b.goto(f"{platform.web.url}/history")  # the old cookie
            expect(tab_b.get_by_role("heading", name="History")).to_be_visible()

        tab_a.goto(f"{platform.web.url}/")
        expect(tab_a.get_by_test_id("user-email")).to_have_text("bo@example.com")
    finally:
        first.close()
        second.close()
    assert "authn_token_reuse" not in platform.audit_events()
