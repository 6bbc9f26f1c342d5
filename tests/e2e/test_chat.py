"""The chat page through the real API, web UI and simulator, in Chromium: a conversation of
three turns whose third answer shows the first turn's words, a stopped answer, and a reload.

With several turns the simulator answers `Simulated reply to: <last user words> turns=N
first: <first user words> …`, so an answer shows what context the API sent along; it streams
one word every CHUNK_DELAY_MS, and `[[sim:tokens=N]]` sets an answer's length.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import GenerationPlatform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SLOW = 30_000  # ms: generous, Playwright polls and returns as soon as the page is ready
PASSWORD = "correct horse battery staple"
FIRST = "My lighthouse keeper is called Agnes"
ANSWER = 'li[data-role="assistant"]'


def register(page: Page, platform: GenerationPlatform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def new_chat(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Chat").click()
    page.get_by_test_id("new-chat").click()
    expect(page.locator("#chat-form")).to_be_visible()


def say(page: Page, words: str) -> Locator:
    """Type a message and press Enter; the answer it gets, once it is done."""
    answers = page.locator(ANSWER)
    before = answers.count()
    page.locator("#content").fill(words)
    page.locator("#content").press("Enter")
    answer = answers.nth(before)
    expect(answer).to_have_attribute("data-state", "done", timeout=SLOW)
    return answer


def test_a_three_turn_conversation_a_stopped_answer_and_a_reload(
    page: Page, generation_platform: GenerationPlatform, screenshots: Path
) -> None:
    platform_url = generation_platform.web.url
    register(page, generation_platform, "chatter@example.com")
    new_chat(page)
    chat_url = page.url

    first = say(page, f"{FIRST} [[sim:tokens=12]]")
    expect(first).to_contain_text(f"Simulated reply to: {FIRST}")
    # Shift+Enter is a new line; Enter sends.
    page.locator("#content").fill("Which light")
    page.locator("#content").press("Shift+Enter")
    page.locator("#content").press_sequentially("is brightest")
    expect(page.locator("#content")).to_have_value("Which light\nis brightest")
    page.locator("#content").press("Enter")
    expect(page.locator(ANSWER).nth(1)).to_have_attribute("data-state", "done", timeout=SLOW)
    second_question = page.locator('li[data-role="user"]').nth(1).get_by_test_id("message-body")
    expect(second_question).to_have_text("Which light\nis brightest")

    third = say(page, "Who keeps my lighthouse?")
    # The third answer was written knowing the first turn: the API sent the whole conversation.
    expect(third).to_contain_text("turns=5 first: My lighthouse keeper is called Agnes")
    expect(page.locator(ANSWER)).to_have_count(3)
    expect(page.get_by_test_id("last-actions")).to_be_visible()
    # Copy takes the last answer's text as it was written, markdown and all.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform_url)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("Simulated reply to: Who keeps my lighthouse? turns=5")

    # A long answer, stopped while it is being written.
    page.locator("#content").fill("Tell me everything [[sim:tokens=400]]")
    page.locator("#content").press("Enter")
    streaming = page.locator(f'{ANSWER}[data-state="streaming"]')
    expect(streaming).to_contain_text("Simulated reply to: Tell me everything", timeout=SLOW)
    page.get_by_role("button", name="Stop").click()
    stopped = page.locator(ANSWER).nth(3)
    expect(stopped).to_have_attribute("data-state", "cancelled")
    expect(page.locator("#stop-button")).to_be_hidden()
    partial = stopped.get_by_test_id("message-body").inner_text()
    assert 3 < len(partial.split()) < 400

    # The conversation is kept, the stopped answer with what was written of it.
    cancelled = page.locator(f'{ANSWER}[data-status="cancelled"]')
    deadline = time.monotonic() + SLOW / 1000
    while True:  # the API stores the answer as soon as it sees the stream closed
        page.goto(chat_url)
        if cancelled.count() == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(page.locator(ANSWER)).to_have_count(4)
    expect(page.locator(ANSWER).nth(2)).to_contain_text("first: My lighthouse keeper")
    expect(cancelled.get_by_test_id("message-status")).to_have_text("Stopped")
    expect(cancelled.get_by_test_id("message-body")).to_contain_text(
        "Simulated reply to: Tell me everything"
    )
    expect(page.get_by_test_id("conversation-link")).to_have_count(1)
    page.screenshot(path=screenshots / "chat.png", full_page=True)  # the README picture


def test_without_javascript_the_chat_is_a_plain_form(
    browser: Browser, generation_platform: GenerationPlatform
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(SLOW)
    try:
        register(page, generation_platform, "plainchat@example.com")
        new_chat(page)
        page.fill("#content", "Plain **HTML** please [[sim:tokens=8]]")
        page.get_by_role("button", name="Send").click()

        expect(page.locator(f"{ANSWER} strong")).to_have_text("HTML")
        page.get_by_role("button", name="Regenerate").click()
        expect(page.locator(f"{ANSWER}.message-superseded")).to_have_count(1)
        expect(page.locator(ANSWER)).to_have_count(2)

        page.get_by_text("Rename or delete").click()
        page.get_by_role("link", name="Delete this conversation…").click()
        page.get_by_role("button", name="Delete for good").click()
        expect(page.get_by_text("The conversation was deleted.")).to_be_visible()
        expect(page.get_by_test_id("conversation-link")).to_have_count(0)
    finally:
        context.close()
