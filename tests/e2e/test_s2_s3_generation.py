"""Seed scenarios 2 (text) and 3 (images), with the history, through the real web UI in Chromium.

The API talks to the OpenRouter simulator, which streams one word every CHUNK_DELAY_MS and
answers "Simulated reply to: <the first six words of the prompt> …"; a `[[sim:tokens=N]]`
marker sets the answer's length and `[[sim:fault=402]]` makes OpenRouter refuse for credits.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import GenerationPlatform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SLOW = 30_000  # ms: generous, Playwright polls and returns as soon as the page is ready
STREAM_WORDS = 50
DEMO = "Demo mode: answers come from a local simulator, not a real AI model."
STREAMING_BODY = '#answer[data-state="streaming"] #answer-body'
SNAPSHOT = """() => [
    document.getElementById("answer").dataset.state,
    document.getElementById("answer-body").textContent,
]"""
PASSWORD = "correct horse battery staple"
HOSTILE = (
    "<script>alert(1)</script> <img/src=x/onerror=alert(2)> [x](javascript:alert(3)) "
    "[docs](https://example.com/) [[sim:tokens=12]]"
)


def register(page: Page, platform: GenerationPlatform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def generate_text(page: Page, platform: GenerationPlatform, prompt: str) -> None:
    page.goto(f"{platform.web.url}/text")
    page.fill("#prompt", prompt)
    page.get_by_role("button", name="Generate").click()


def test_text_streams_in_and_an_image_is_drawn_and_both_are_in_the_history(
    page: Page, generation_platform: GenerationPlatform, screenshots: Path
) -> None:
    platform = generation_platform
    register(page, platform, "streamer@example.com")
    expect(page.get_by_test_id("demo-banner")).to_have_text(DEMO)

    generate_text(page, platform, f"Tell me about **lighthouses** [[sim:tokens={STREAM_WORDS}]]")
    # Part of the answer is on the page while the stream is still running.
    expect(page.locator(STREAMING_BODY)).to_contain_text(
        "Simulated reply to: Tell me about **lighthouses**", timeout=SLOW
    )
    state, partial = page.evaluate(SNAPSHOT)
    assert state == "streaming"
    assert len(partial.split()) < STREAM_WORDS
    expect(page.get_by_test_id("answer-meta")).to_be_hidden()
    # Then the whole answer, rendered from markdown, with the served model and usage.
    expect(page.locator('#answer[data-state="done"]')).to_be_visible(timeout=SLOW)
    expect(page.locator("#answer-body strong")).to_have_text("lighthouses")
    assert len(page.locator("#answer-body").inner_text().split()) == STREAM_WORDS
    expect(page.get_by_test_id("answer-meta")).to_contain_text(f"+ {STREAM_WORDS} completion")
    expect(page.get_by_test_id("answer-meta")).to_contain_text("Served by openai/")
    page.screenshot(path=screenshots / "text.png", full_page=True)  # the README picture
    # The copy button copies the raw text, markdown and all.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform.web.url)
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#answer-status")).to_have_text("Copied.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("Simulated reply to: Tell me about **lighthouses**")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Images").click()
    page.select_option("#model", "google/gemini-2.5-flash-image")
    page.select_option("#aspect_ratio", "16:9")
    page.fill("#prompt", "A lighthouse at dusk")
    page.get_by_role("button", name="Generate").click()
    image = page.get_by_test_id("generated-image").first
    expect(image).to_have_js_property("complete", True, timeout=SLOW)
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width > 0
    assert abs(width / height - 16 / 9) / (16 / 9) < 0.02, (width, height)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    items = page.get_by_test_id("history-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("A lighthouse at dusk")
    expect(items.nth(0)).to_contain_text("image")
    expect(items.nth(1)).to_contain_text("Tell me about **lighthouses**")
    expect(items.nth(1)).to_contain_text("succeeded")

    page.get_by_role("navigation", name="Filter by kind").get_by_role("link", name="Images").click()
    expect(items).to_have_count(1)
    items.first.get_by_role("link").click()
    expect(page.get_by_test_id("prompt")).to_have_text("A lighthouse at dusk")
    expect(page.get_by_test_id("generated-image").first).to_have_js_property("complete", True)
    assert page.get_by_test_id("generated-image").first.evaluate("img => img.naturalWidth") > 0

    page.get_by_text("Delete this generation…").click()
    page.get_by_role("button", name="Delete for good").click()
    expect(page.get_by_text("The generation and its files were deleted.")).to_be_visible()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Tell me about")


def test_a_hostile_answer_is_shown_inert(
    page: Page, generation_platform: GenerationPlatform
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    register(page, generation_platform, "mallory@example.com")

    generate_text(page, generation_platform, HOSTILE)
    expect(page.locator('#answer[data-state="done"]')).to_be_visible(timeout=SLOW)

    assert_inert_answer(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    page.get_by_test_id("history-item").first.get_by_role("link").click()
    assert_inert_answer(page)
    assert dialogs == []


def assert_inert_answer(page: Page) -> None:
    """The model's markup is visible as text; nothing of it runs or links anywhere odd."""
    body = page.get_by_test_id("answer-body")
    expect(body).to_contain_text("<script>alert(1)</script>")
    expect(body).to_contain_text("<img/src=x/onerror=alert(2)>")
    expect(body).to_contain_text("[x](javascript:alert(3))")
    expect(body.locator("script, img, iframe, [onerror]")).to_have_count(0)
    expect(body.locator('[href*="javascript" i], [src]')).to_have_count(0)
    expect(body.locator('a[href="https://example.com/"]')).to_have_attribute(
        "rel", "noopener noreferrer nofollow"
    )


def test_an_upstream_refusal_is_explained_and_the_prompt_kept(
    page: Page, generation_platform: GenerationPlatform
) -> None:
    register(page, generation_platform, "broke@example.com")
    prompt = "Hello there [[sim:fault=402]]"

    generate_text(page, generation_platform, prompt)

    expect(page.get_by_test_id("form-error")).to_contain_text(
        "The platform's OpenRouter account is out of credits."
    )
    expect(page.locator("#prompt")).to_have_value(prompt)
    expect(page.locator("#answer")).to_be_hidden()


def test_without_javascript_the_text_form_still_answers(
    browser: Browser, generation_platform: GenerationPlatform
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(SLOW)
    try:
        register(page, generation_platform, "nojs@example.com")
        generate_text(page, generation_platform, "Plain **HTML** please [[sim:tokens=8]]")

        expect(page).to_have_url(f"{generation_platform.web.url}/text")
        expect(page.locator("#answer-body strong")).to_have_text("HTML")
        expect(page.get_by_test_id("answer-meta")).to_contain_text("+ 8 completion")
        expect(page.locator("#prompt")).to_have_value("Plain **HTML** please [[sim:tokens=8]]")
    finally:
        context.close()


def test_load_more_appends_older_generations(
    page: Page, generation_platform: GenerationPlatform
) -> None:
    register(page, generation_platform, "prolific@example.com")
    api = generation_platform.api.url
    login = {"email": "prolific@example.com", "password": PASSWORD}
    token = httpx.post(f"{api}/auth/login", json=login, timeout=30).json()["access_token"]
    for number in range(1, 23):  # a page of 20, and two more
        answer = httpx.post(
            f"{api}/generate/text",
            json={"model": "openai/gpt-4o-mini", "prompt": f"Item {number} [[sim:tokens=1]]"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

    page.goto(f"{generation_platform.web.url}/history")
    items = page.get_by_test_id("history-item")
    expect(items).to_have_count(20)
    expect(items.first).to_contain_text("Item 22")
    page.get_by_role("link", name="Load more").click()

    expect(items).to_have_count(22)
    expect(items.last).to_contain_text("Item 1 [[sim:tokens=1]]")
    expect(page).to_have_url(f"{generation_platform.web.url}/history")  # appended in place
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
