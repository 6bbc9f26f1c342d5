"""Seed scenario 7 (administration), through the real web UI in Chromium.

The first admin comes from ALLUCANGET_ADMIN_EMAIL/PASSWORD, given to the API at start. A
second browser context plays the user whose role changes or who is deleted, still signed in.
Set ALLUCANGET_E2E_SCREENSHOTS to a folder to keep the screenshots of the admin pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import Simulator, simulated_platform
from tests.servers import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ADMIN_EMAIL = "chief@example.com"
ADMIN_PASSWORD = "the chief admin's long passphrase"
PASSWORD = "correct horse battery staple"
ENDED = "Your session has ended. Please sign in again."
MODEL = "openai/gpt-4o-mini"


class AdminPlatform:
    def __init__(self, simulator: Simulator, api: Server, web: Server) -> None:
        self.simulator, self.api, self.web = simulator, api, web

    def token(self, email: str, password: str) -> str:
        login = httpx.post(
            f"{self.api.url}/auth/login", timeout=30, json={"email": email, "password": password}
        )
        assert login.status_code == 200, login.text
        return str(login.json()["access_token"])


@pytest.fixture(scope="module")
def admin_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminPlatform]:
    root = tmp_path_factory.mktemp("e2e-admin")
    env = {"ALLUCANGET_ADMIN_EMAIL": ADMIN_EMAIL, "ALLUCANGET_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with simulated_platform(root, **env) as platform:
        yield AdminPlatform(platform.simulator, platform.api, platform.web)


@pytest.fixture
def other(browser: Browser) -> Iterator[BrowserContext]:
    """A second browser, for the person on the receiving end."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


def sign_in(page: Page, platform: AdminPlatform, email: str, password: str) -> None:
    page.goto(f"{platform.web.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def register(page: Page, platform: AdminPlatform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def admin_link(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin")


def find_user(page: Page, platform: AdminPlatform, email: str) -> Locator:
    page.goto(f"{platform.web.url}/admin/users")
    page.get_by_label("Search by email").fill(email)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/admin/users\?q="))
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    return page.locator(f'[data-testid="user-row"][data-email="{email}"]')


def test_an_admin_promotes_a_user_who_then_sees_the_admin_area(
    page: Page, other: BrowserContext, admin_platform: AdminPlatform
) -> None:
    promoted = other.new_page()
    register(promoted, admin_platform, "promoted@example.com")
    expect(admin_link(promoted)).to_have_count(0)

    sign_in(page, admin_platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin_link(page).click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    row = find_user(page, admin_platform, "promoted@example.com")
    row.get_by_label("Role of promoted@example.com").select_option("admin")
    row.get_by_role("button", name="Change role").click()
    expect(page.get_by_text("promoted@example.com is now an admin.")).to_be_visible()
    expect(row.locator(".badge-role-admin")).to_have_text("admin")

    promoted.reload()  # the next page load of the promoted user, with the session they had
    expect(promoted.get_by_test_id("user-role")).to_have_text("admin")
    admin_link(promoted).click()
    expect(promoted).to_have_url(f"{admin_platform.web.url}/admin")
    expect(promoted.get_by_test_id("stat-users")).to_be_visible()


def test_an_admin_deletes_a_user_whose_session_ends_on_the_next_click(
    page: Page, other: BrowserContext, admin_platform: AdminPlatform
) -> None:
    doomed = other.new_page()
    register(doomed, admin_platform, "doomed@example.com")

    sign_in(page, admin_platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    row = find_user(page, admin_platform, "doomed@example.com")
    row.get_by_role("link", name="Delete…").click()
    expect(page.get_by_test_id("delete-question")).to_have_text(
        "Delete doomed@example.com? This removes their generations and media."
    )
    page.get_by_role("button", name="Delete this user").click()
    expect(
        page.get_by_text("doomed@example.com was deleted, with their generations and media.")
    ).to_be_visible()
    expect(page.get_by_test_id("user-row")).to_have_count(0)

    doomed.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(doomed).to_have_url(f"{admin_platform.web.url}/login?next=/history")
    expect(doomed.get_by_text(ENDED)).to_be_visible()
    doomed.fill("#email", "doomed@example.com")
    doomed.fill("#password", PASSWORD)
    doomed.get_by_role("button", name="Sign in").click()
    expect(doomed.get_by_text("Incorrect email or password.")).to_be_visible()


def test_the_dashboard_shows_the_figures_of_the_api(
    page: Page, admin_platform: AdminPlatform, screenshots: Path
) -> None:
    register(page, admin_platform, "busy@example.com")
    token = admin_platform.token("busy@example.com", PASSWORD)
    for number in range(3):
        body = {"model": MODEL, "prompt": f"Item {number} [[sim:tokens=4]]"}
        answer = httpx.post(
            f"{admin_platform.api.url}/generate/text",
            json=body,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, admin_platform, ADMIN_EMAIL, ADMIN_PASSWORD)

    page.goto(f"{admin_platform.web.url}/admin")
    admin_token = admin_platform.token(ADMIN_EMAIL, ADMIN_PASSWORD)
    stats = httpx.get(
        f"{admin_platform.api.url}/admin/stats",
        timeout=30,
        headers={"Authorization": f"Bearer {admin_token}"},
    ).json()

    users = page.get_by_test_id("stat-users")
    expect(users.locator(".stat-value")).to_have_text(str(stats["users"]["total"]))
    expect(users).to_contain_text(f"{stats['users']['admins']} admin")
    generations = page.get_by_test_id("stat-generations")
    expect(generations.locator(".stat-value")).to_have_text(str(stats["generations"]["total"]))
    expect(generations).to_contain_text(f"{stats['generations']['text']} text")
    assert stats["generations"]["total"] >= 3
    chart = page.get_by_test_id("chart-generations")
    expect(chart.locator("g.column")).to_have_count(30)
    for day in stats["per_day"]:  # the days with generations, as the API counts them
        column = chart.locator(f'g.column[data-day="{day["key"]}"]')
        expect(column).to_have_attribute("data-value", str(day["generations"]))
        assert column.locator("rect.bar").bounding_box()["height"] > 10
    expect(
        page.get_by_test_id("chart-models").locator(f'g.row[data-label="{MODEL}"]')
    ).to_have_attribute("data-value", "3")
    expect(page.get_by_test_id("per-user-table")).to_contain_text("busy@example.com")

    page.screenshot(path=screenshots / "admin.png", full_page=True)
    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Users").click()
    expect(page.get_by_test_id("user-row").first).to_be_visible()
    page.screenshot(path=screenshots / "admin-users.png", full_page=True)
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    expect(page.locator('[data-action="admin_bootstrap"]')).to_contain_text(ADMIN_EMAIL)
    page.screenshot(path=screenshots / "admin-audit.png", full_page=True)
