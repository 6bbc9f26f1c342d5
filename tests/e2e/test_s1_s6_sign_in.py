"""Seed scenarios 1 (login) and 6 (token refresh), through the real web UI in Chromium."""

from __future__ import annotations

import time

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ACCESS_TTL_S, Platform

PASSWORD = "correct horse battery staple"


def session_cookie(page: Page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies["allucanget_session"]


def register(page: Page, platform: Platform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_registers_signs_out_and_signs_in_again(page: Page, platform: Platform) -> None:
    register(page, platform, "ada@example.com")
    expect(page.get_by_test_id("user-role")).to_have_text("user")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.goto(f"{platform.web.url}/")
    expect(page).to_have_url(f"{platform.web.url}/login?next=/")
    sign_in(page, "ada@example.com", "not my password")
    expect(page.get_by_text("Incorrect email or password.")).to_be_visible()
    sign_in(page, "ada@example.com")
    expect(page).to_have_url(f"{platform.web.url}/")
    expect(page.get_by_test_id("user-email")).to_have_text("ada@example.com")


def test_an_expired_access_token_is_refreshed_silently(page: Page, platform: Platform) -> None:
    register(page, platform, "bob@example.com")
    before = session_cookie(page)
    time.sleep(ACCESS_TTL_S + 1.5)  # the access token of the session has now expired
    page.goto(f"{platform.web.url}/")
    expect(page.get_by_test_id("user-email")).to_have_text("bob@example.com")
    # The rotated pair is kept on the web UI's side; the cookie holds only the session's id.
    assert session_cookie(page) == before
    page.reload()
    expect(page.get_by_test_id("user-email")).to_have_text("bob@example.com")


def test_a_dead_session_lands_on_sign_in_and_returns_where_it_was(
    page: Page, platform: Platform
) -> None:
    register(page, platform, "cy@example.com")
    login = httpx.post(
        f"{platform.api.url}/auth/login", json={"email": "cy@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200
    # Changing the password elsewhere ends every other session, this browser's included.
    changed = httpx.put(
        f"{platform.api.url}/auth/password",
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        json={"current_password": PASSWORD, "new_password": "another fine passphrase"},
    )
    assert changed.status_code == 204
    time.sleep(ACCESS_TTL_S + 1.5)
    page.goto(f"{platform.web.url}/?view=compact")
    # Ended on purpose elsewhere, not run out: the page says so in other words.
    expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    sign_in(page, "cy@example.com", "another fine passphrase")
    expect(page).to_have_url(f"{platform.web.url}/?view=compact")
    expect(page.get_by_test_id("user-email")).to_have_text("cy@example.com")


def test_pages_carry_the_security_headers(page: Page, platform: Platform) -> None:
    response = page.goto(f"{platform.web.url}/login")
    assert response is not None
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
