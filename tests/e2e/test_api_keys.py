"""API keys end to end: made in the browser, used by a program with plain httpx, revoked in
the browser (keys_contract.md). The API, the web UI and the simulator run as processes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import GenerationPlatform, simulated_platform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "keeper@example.com"
ADMIN_PASSWORD = "the key keeper's long passphrase"


@pytest.fixture(scope="module")
def keys_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerationPlatform]:
    root = tmp_path_factory.mktemp("e2e-keys")
    env = {"ALLUCANGET_ADMIN_EMAIL": ADMIN_EMAIL, "ALLUCANGET_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with simulated_platform(root, **env) as platform:
        yield platform


@pytest.fixture
def clipboard_page(browser: Browser, keys_platform: GenerationPlatform) -> Iterator[Page]:
    """A browser that lets the page's Copy button write to the clipboard (and us read it)."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=keys_platform.web.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def register(page: Page, platform: GenerationPlatform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def create_key(page: Page, name: str) -> str:
    """Account → API keys → Create key; answers the key, read once from the page."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_role("navigation", name="Account sections").get_by_role(
        "link", name="API keys"
    ).click()
    page.fill("#name", name)
    page.get_by_role("button", name="Create key").click()
    return page.get_by_test_id("new-key").input_value()


def as_program(platform: GenerationPlatform, key: str, path: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.get(f"{platform.api.url}{path}", headers=headers, timeout=30)


def test_a_key_made_in_the_browser_works_for_a_program_until_it_is_revoked(
    clipboard_page: Page, keys_platform: GenerationPlatform
) -> None:
    page = clipboard_page
    register(page, keys_platform, "maker@example.com")

    key = create_key(page, "e2e script")

    assert key.startswith("agk_") and len(key) >= 4 + 43
    snippet = page.get_by_test_id("sdk-snippet").input_value()
    assert f'OpenAI(base_url="{keys_platform.api.url}/v1", api_key="{key}")' in snippet
    page.get_by_role("button", name="Copy").first.click()
    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key

    me = as_program(keys_platform, key, "/auth/me")
    history = as_program(keys_platform, key, "/generations")
    assert (me.status_code, history.status_code) == (200, 200), (me.text, history.text)
    assert me.json()["email"] == "maker@example.com"

    page.get_by_role("link", name="Done").click()
    row = page.get_by_test_id("key-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("e2e script")
    expect(row).to_contain_text(key[:12])
    expect(row.get_by_test_id("key-last-used")).not_to_have_text("never")  # used just now
    assert key not in page.content()  # shown once: the list never holds it

    row.get_by_role("link", name="Revoke…").click()
    expect(page.get_by_test_id("revoke-question")).to_contain_text("e2e script")
    page.get_by_role("button", name="Revoke this key").click()
    expect(page.get_by_text("The key was revoked")).to_be_visible()
    expect(page.get_by_test_id("no-keys")).to_be_visible()

    refused = as_program(keys_platform, key, "/generations")
    assert refused.status_code == 401, refused.text
    assert refused.json()["code"] == "token_invalid"


def test_an_admin_revokes_a_users_key_from_the_users_table(
    page: Page, browser: Browser, keys_platform: GenerationPlatform
) -> None:
    owner = browser.new_page()
    owner.set_default_timeout(10_000)
    register(owner, keys_platform, "holder@example.com")
    key = create_key(owner, "holder's bot")
    owner.context.close()
    assert as_program(keys_platform, key, "/auth/me").status_code == 200

    page.goto(f"{keys_platform.web.url}/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{keys_platform.web.url}/admin/users?q=holder")
    page.get_by_test_id("user-row").get_by_test_id("user-keys").click()
    row = page.get_by_test_id("key-row")
    expect(row).to_contain_text("holder's bot")
    row.get_by_role("link", name="Revoke…").click()
    expect(page.get_by_test_id("revoke-question")).to_contain_text("holder@example.com")
    page.get_by_role("button", name="Revoke this key").click()
    expect(page.get_by_test_id("no-keys")).to_be_visible()

    assert as_program(keys_platform, key, "/auth/me").status_code == 401
