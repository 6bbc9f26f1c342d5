"""Budgets, through the real web UI in Chromium (budget_contract.md): an admin sets a small
monthly budget for a user from the users table; the user sees it on the dashboard, sees the
estimate grow past it on the text page, and is refused with the message when sending.

The simulator's openai/gpt-4o-mini costs $0.6 per million completion tokens: 16,000 of them
may cost more than the $0.005 budget, however the API bounds the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from tests.e2e.conftest import simulated_platform
from tests.e2e.test_s7_admin import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    AdminPlatform,
    find_user,
    register,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

USER = "thrifty@example.com"
LIMIT = "0.005"
MAX_TOKENS = "16000"
SLOW = 30_000  # ms


def asks_with_max_tokens(response: Response) -> bool:
    sent = response.request.post_data or ""
    return response.url.endswith("/estimate") and f"max_tokens={MAX_TOKENS}" in sent


@pytest.fixture(scope="module")
def budget_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminPlatform]:
    root = tmp_path_factory.mktemp("e2e-budget")
    env = {"ALLUCANGET_ADMIN_EMAIL": ADMIN_EMAIL, "ALLUCANGET_ADMIN_PASSWORD": ADMIN_PASSWORD}
    with simulated_platform(root, **env) as platform:
        yield AdminPlatform(platform.simulator, platform.api, platform.web)


@pytest.fixture
def user_context(browser: Browser) -> Iterator[BrowserContext]:
    """A second browser, for the user whose budget is set."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_an_admin_sets_a_budget_that_the_user_sees_and_is_held_to(
    page: Page, user_context: BrowserContext, budget_platform: AdminPlatform, screenshots: Path
) -> None:
    user = user_context.new_page()
    register(user, budget_platform, USER)
    expect(user.get_by_test_id("budget-summary")).to_contain_text("Unlimited")

    sign_in(page, budget_platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    row = find_user(page, budget_platform, USER)
    expect(row.get_by_test_id("user-spent")).to_have_text("$0.00")
    expect(row.get_by_test_id("user-limit")).to_have_text("Unlimited")
    row.locator("summary").click()  # the budget form opens in the row
    row.get_by_label(f"Budget of {USER} in USD").fill(LIMIT)
    row.get_by_label(f"Budget period of {USER}").select_option("month")
    row.get_by_role("button", name="Set budget").click()
    expect(page.get_by_text(f"Budget of {USER}: $0.005 per month.")).to_be_visible()
    expect(row.get_by_test_id("user-limit")).to_have_text("$0.005 per month")
    page.screenshot(path=screenshots / "admin-budgets.png", full_page=True)

    user.reload()
    expect(user.get_by_test_id("budget-summary")).to_have_text(
        re.compile(r"^\$0\.00 of \$0\.005 spent this month, resets 1 \w+")
    )
    expect(user.get_by_test_id("budget-meter")).to_have_attribute("value", "0.0")
    expect(user.get_by_test_id("budget-remaining")).to_have_text("$0.005")

    user.goto(f"{budget_platform.web.url}/text")
    expect(user.get_by_test_id("estimate")).to_contain_text("$")  # of the page's selection
    expect(user.locator("#estimate-button")).to_be_hidden()  # estimate.js follows the form
    user.fill("#prompt", "Write a very long story [[sim:tokens=20]]")
    user.locator("details.options summary").click()
    with user.expect_response(asks_with_max_tokens, timeout=SLOW):  # estimate.js, debounced
        user.fill("#max_tokens", MAX_TOKENS)
    over = re.compile(
        r"^This could cost up to \$[0-9.]+, but only \$0\.005 of your \$0\.005 monthly "
        r"budget is left; it resets on 1 \w+( \d{4})?\.$"
    )
    expect(user.get_by_test_id("estimate")).to_have_text(over, timeout=SLOW)
    expect(user.get_by_test_id("estimate")).to_have_class(re.compile(r"\bestimate-over\b"))
    estimated = user.get_by_test_id("estimate").inner_text()

    user.get_by_role("button", name="Generate").click()
    expect(user.get_by_test_id("form-error")).to_have_text(estimated, timeout=SLOW)
    expect(user.locator("#answer-body")).to_have_text("")
    user.screenshot(path=screenshots / "budget-refused.png", full_page=True)

    user.goto(f"{budget_platform.web.url}/")
    expect(user.get_by_test_id("budget-spent")).to_have_text("$0.00")  # nothing was spent
