"""Seed scenarios 4 (text-to-video) and 5 (image-to-video) through the real web UI in Chromium.

The API follows the job against the OpenRouter simulator, which keeps a job pending for
VIDEO_POLLS polls, then in progress for as many, then completes it with a real 32x32 H.264
MP4. The API polls every 0.3 s backing off to 1 s, so a job takes a few seconds: long
enough for the job page (polling every 2 s) to show each state, without reloading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import GenerationPlatform, simulated_platform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SLOW = 60_000  # ms: generous; Playwright returns as soon as the page is ready
VIDEO_POLLS = 4
PASSWORD = "correct horse battery staple"
JOB_URL = r"/video/[0-9a-f-]{36}$"
# Every status text the page shows, in order, recorded as it changes (no reload: the
# recorder lives in the page and would be gone after one).
RECORD_STATUS = """() => {
    const status = document.getElementById("job-status");
    window.seenStatus = [status.textContent];
    new MutationObserver(() => {
        const text = status.textContent;
        if (window.seenStatus[window.seenStatus.length - 1] !== text) {
            window.seenStatus.push(text);
        }
    }).observe(status, { childList: true, characterData: true, subtree: true });
}"""
VIDEO_LOADED = "() => { const v = document.querySelector('video'); return v && v.readyState >= 1; }"


@pytest.fixture(scope="module")
def video_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenerationPlatform]:
    root = tmp_path_factory.mktemp("e2e-video")
    env = {
        "ALLUCANGET_DEMO_MODE": "true",
        "ALLUCANGET_VIDEO_POLL_INTERVAL_S": "0.3",
        "ALLUCANGET_VIDEO_POLL_MAX_INTERVAL_S": "1",
    }
    with simulated_platform(root, ("--video-polls", str(VIDEO_POLLS)), **env) as platform:
        yield platform


def register(page: Page, platform: GenerationPlatform, email: str) -> None:
    page.goto(f"{platform.web.url}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("user-email")).to_have_text(email)


def follow_job_to_its_video(page: Page) -> None:
    """On the job page: the status moves on by itself, then the video plays."""
    expect(page).to_have_url(re.compile(JOB_URL))
    expect(page.get_by_test_id("job-status")).to_have_text(re.compile(r"^(Queued|In progress)"))
    page.evaluate(RECORD_STATUS)
    expect(page.get_by_test_id("job-status")).to_have_text(
        "Completed: the video is ready.", timeout=SLOW
    )
    seen = page.evaluate("() => window.seenStatus")
    assert seen[-1] == "Completed: the video is ready.", seen
    assert "In progress: the video is being made." in seen, seen
    expect(page.locator("#job-steps")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("job-elapsed")).to_have_text(re.compile(r"\d+ s$"))
    # The video loads: its metadata (at least) was read from the media proxy.
    page.wait_for_function(VIDEO_LOADED, timeout=SLOW)
    width = page.evaluate("() => document.querySelector('video').videoWidth")
    assert width == 32


def test_scenario_4_a_video_from_a_prompt(page: Page, video_platform: GenerationPlatform) -> None:
    platform = video_platform
    register(page, platform, "director@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Video").click()
    # The options follow the model: Seedance takes a seed and 21:9, Veo neither.
    expect(page.locator("#seed")).to_be_hidden()
    page.select_option("#model", "bytedance/seedance-2.0-mini")
    expect(page.locator("#seed")).to_be_visible()
    expect(page.locator("#aspect_ratio option[value='21:9']")).to_have_count(1)
    page.select_option("#model", "google/veo-3.1-lite")
    expect(page.locator("#aspect_ratio option[value='21:9']")).to_have_count(0)
    expect(page.locator("#seed")).to_be_hidden()
    page.select_option("#duration", "4")
    page.select_option("#aspect_ratio", "16:9")
    page.fill("#prompt", "A red fox runs through fresh snow")

    with page.expect_response(lambda r: "/media/" in r.url, timeout=SLOW) as media:
        page.get_by_role("button", name="Generate video").click()
        follow_job_to_its_video(page)
    # Chromium asks a video for a byte range; the proxy passes it through, so it can seek.
    assert media.value.status == 206
    assert media.value.headers["content-range"].startswith("bytes 0-")
    assert media.value.headers["accept-ranges"] == "bytes"
    assert media.value.headers["content-type"] == "video/mp4"
    expect(page.get_by_test_id("prompt")).to_have_text("A red fox runs through fresh snow")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    item = page.get_by_test_id("history-item").first
    expect(item).to_contain_text("A red fox runs through fresh snow")
    expect(item).to_contain_text("completed")


def test_scenario_5_a_video_from_an_uploaded_image(
    page: Page, video_platform: GenerationPlatform, tmp_path: Path
) -> None:
    picture = tmp_path / "fox.png"
    Image.new("RGB", (64, 48), (200, 90, 40)).save(picture)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    register(page, video_platform, "animator@example.com")
    page.goto(f"{video_platform.web.url}/video/from-image")
    expect(page.locator("#model option[value='openai/sora-2-pro']")).to_have_count(0)

    page.set_input_files("#image", str(picture))
    # The preview is shown before anything is sent (a blob: URL this page's CSP allows).
    preview = page.get_by_test_id("image-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("fox.png")
    image = preview.locator("img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [64, 48]
    page.fill("#prompt", "The fox turns its head")
    page.get_by_role("button", name="Generate video").click()

    follow_job_to_its_video(page)
    expect(page.get_by_test_id("prompt")).to_have_text("The fox turns its head")
    assert not [text for text in problems if "Content Security Policy" in text], problems


def test_a_file_too_large_is_refused_in_the_page_with_the_prompt_kept(
    page: Page, video_platform: GenerationPlatform, tmp_path: Path
) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * 1024 * 1024 + 1))
    register(page, video_platform, "hoarder@example.com")
    page.goto(f"{video_platform.web.url}/video/from-image")
    page.fill("#prompt", "Keep me")

    page.set_input_files("#image", str(big))
    expect(page.get_by_test_id("image-error")).to_have_text(
        "The image is 10.0 MiB; it may be at most 10 MiB."
    )
    page.get_by_role("button", name="Generate video").click()

    expect(page).to_have_url(f"{video_platform.web.url}/video/from-image")
    expect(page.locator("#prompt")).to_have_value("Keep me")
    expect(page.get_by_role("button", name="Generate video")).to_be_enabled()


def test_without_javascript_the_api_names_the_allowed_values_and_refresh_shows_the_job(
    browser: Browser, video_platform: GenerationPlatform
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(SLOW)
    try:
        register(page, video_platform, "plain@example.com")
        page.goto(f"{video_platform.web.url}/video")
        page.select_option("#model", "openai/sora-2-pro")
        page.select_option("#duration", "6")  # Veo's values are still on offer without JS
        page.fill("#prompt", "A quiet harbour at dawn")
        page.get_by_role("button", name="Generate video").click()

        expect(page.get_by_test_id("form-error")).to_have_text(
            "Duration 6 is not offered by openai/sora-2-pro; choose one of: 4, 8, 12."
        )
        expect(page.locator("#prompt")).to_have_value("A quiet harbour at dawn")
        page.select_option("#duration", "8")  # now Sora's own values
        page.get_by_role("button", name="Generate video").click()

        expect(page).to_have_url(re.compile(JOB_URL))
        expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    finally:
        context.close()
