"""What the simulator is asked, and what its answers are checked against: the request cases
(path, body, key, fault, status, check), the request bodies they merge onto, the recorded
OpenRouter bodies, and readers for SSE and JSON answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "openrouter-recordings"
# Models the recordings were made with (SOURCES.md), besides the 2026 /models listing.
RECORDED_MODELS = """
anthropic/claude-haiku-4.5 anthropic/claude-sonnet-4.5 openai/gpt-5-mini openai/gpt-5.2
deepseek/deepseek-chat mistralai/mistral-small minimax/minimax-m2:free liquid/lfm-2.5-2.6b:free
google/gemini-2.0-flash-exp:free google/gemma-4-31b-it:free x-ai/grok-imagine-video
google/gemini-2.5-flash-image-preview google/gemini-3.1-flash-lite-image
""".split()  # noqa: SIM905 - a word list reads better than 13 one-per-line strings
CHAT, JOB = "/chat/completions", "/videos/gen-vid-1790983457-AAAAAAAAAAAAAAAAAAAA"
PROMPT = [{"role": "user", "content": "A" * 300}]
FIRST = {"type": "image_url", "image_url": {"url": "data:,"}, "frame_type": "first_frame"}
LAST = {**FIRST, "frame_type": "last_frame"}
# Request bodies that the cases below are merged onto; the handle's images() and video() too.
DEFAULTS: dict[str, dict[str, Any]] = {
    CHAT: {"model": "openai/gpt-4o", "max_tokens": 8192, "messages": PROMPT},
    "/videos": {"model": "x-ai/grok-imagine-video", "prompt": "p", "duration": 4},
    "/images": {"model": "google/gemini-3.1-flash-lite-image", "prompt": "a cat"},
}


def image_input(url: str) -> dict[str, Any]:
    parts = [{"type": "text", "text": "What?"}, {"type": "image_url", "image_url": {"url": url}}]
    return {"messages": [{"role": "user", "content": parts}]}


# What the simulator answers (gateway tests can replay them): (path, POST body or None for GET,
# Authorization ("": the key; None: none), X-Sim-Fault, status, check). Checks: "=name" body equals
# error-name.json, "<name" keeps its key paths, "~type" is not JSON, "!kind" error_type prefix,
# "@a.0.b=v" str(body["a"][0]["b"]) == "v".
REQUEST_CASES: list[tuple[str, dict[str, Any] | None, str | None, str, int, str]] = [
    (CHAT, {}, None, "", 401, "=401-rubyllm-2025-no-auth-credentials"),
    (CHAT, {}, "Basic abc", "", 401, "=401-rubyllm-missing-auth-header"),
    (CHAT, {}, "Bearer sk-or-v1-x", "", 401, "=401-ortoolbox-user-not-found"),
    (JOB, None, "", "", 404, "=404-ortoolbox-video-job"),
    (f"{JOB}/content", None, None, "", 401, "=401-ortoolbox-no-cookie-auth"),
    ("/videos", {"duration": 99}, "", "", 400, "=400-ortoolbox-video-duration"),
    ("/videos", {"resolution": "4K"}, "", "", 400, "=400-ortoolbox-video-resolution"),
    ("/videos", {"prompt": None}, "", "", 400, "=400-ortoolbox-video-no-prompt"),
    ("/videos", {"previous_job_id": "j"}, "", "", 400, "=400-ortoolbox-video-previous-job-id"),
    ("/videos", {"model": "no/video"}, "", "", 400, "<400-ortoolbox-invalid-model"),
    ("/videos", {"aspect_ratio": "21:9"}, "", "", 400, ""),
    ("/videos", {"size": "1280x720"}, "", "", 400, ""),
    ("/videos", {"frame_images": [LAST]}, "", "", 400, ""),
    ("/videos", {"model": "openai/sora-2-pro", "frame_images": [FIRST]}, "", "", 400, ""),
    (CHAT, {"model": "nonexistent/not-a-model:free"}, "", "", 400, "<400-ortoolbox-invalid-model"),
    (CHAT, {"messages": []}, "", "", 400, ""),
    (CHAT, {"modalities": ["image", "text"]}, "", "", 404, ""),
    (CHAT, image_input("https://x.test/sim-bad-image.png"), "", "", 400, "!image_download"),
    (CHAT, image_input("http://x.test/a.png"), "", "", 400, "!invalid_image"),
    (CHAT, image_input("https://x.test/a.png"), "", "", 200, ""),
    (CHAT, image_input("https://x.test/a.png"), "", "image_download_failed", 400, "!image_down"),
    (CHAT, image_input("data:image/png;base64,iVBOR"), "", "", 200, ""),
    ("/images", {"n": 11}, "", "", 400, ""),
    ("/images", {"size": "1024x1024", "aspect_ratio": "16:9"}, "", "", 400, ""),
    ("/images", {"model": "openai/gpt-4o"}, "", "", 400, ""),
    ("/credits", None, "", "", 403, ""),
    ("/key", None, None, "", 401, ""),
    ("/videos", {}, "", "429", 429, ""),
    ("/images", {}, "", "html_502", 502, "~text/html"),
    ("/models", None, "", "503", 503, ""),
    (JOB, None, "", "500", 500, ""),
    (CHAT, {}, "", "401", 401, "<401-ortoolbox-user-not-found"),
    (CHAT, {}, "", "402", 402, "<402-unidentified-prod-capture-credits"),
    (CHAT, {}, "", "402_balance", 402, ""),
    (CHAT, {}, "", "402_image", 402, "<402-ortoolbox-image-balance"),
    (CHAT, {}, "", "402_in_flight", 402, ""),
    (CHAT, {}, "", "403", 403, ""),
    (CHAT, {}, "", "408", 408, ""),
    (CHAT, {}, "", "429", 429, ""),
    (CHAT, {}, "", "429_upstream", 429, "<429-ortoolbox-upstream-retry-after"),
    (CHAT, {}, "", "429_no_retry_after", 429, "<429-ortoolbox-upstream"),
    (CHAT, {}, "", "400_context", 400, "<400-rubyllm-context-length"),
    (CHAT, {}, "", "500", 500, ""),
    (CHAT, {}, "", "502", 502, "<429-pydanticai-gemini-free-upstream"),
    (CHAT, {}, "", "503", 503, ""),
    (CHAT, {}, "", "524", 524, ""),
    (CHAT, {}, "", "529", 529, ""),
    (CHAT, {"model": "no/x"}, "", "", 400, "@error.availability.code=model_not_found"),
    (CHAT, {"model": "x/y", "models": ["openai/gpt-4o"]}, "", "", 200, "@model=openai/gpt-4o"),
    (CHAT, {"models": ["openai/gpt-4o-mini"]}, "", "fallback", 200, "@model=openai/gpt-4o-mini"),
    (CHAT, {}, "", "403", 403, "@error.metadata.model_slug=openai/gpt-4o"),
    (CHAT, {}, "", "error_200", 200, "@error.code=502"),
    (CHAT, {}, "", "empty_choices", 200, "@choices=[]"),
    (CHAT, {}, "", "empty_content", 200, "@choices.0.message.content="),
    (CHAT, {}, "", "content_filter", 200, "@choices.0.finish_reason=content_filter"),
    (CHAT, {}, "", "choice_error", 200, "@choices.0.error.code=502"),
    (CHAT, {}, "", "malformed_json", 200, "~application/json"),
    (CHAT, {}, "", "empty_200", 200, "~application/json"),
    (CHAT, {}, "", "html_502", 502, "~text/html"),
    (CHAT, {}, "", "html_200", 200, "~text/html"),
    (CHAT, {}, "", "text_plain", 502, "~text/plain"),
]
RETRY_AFTER_FAULTS = frozenset({"402_in_flight", "429", "429_upstream", "503"})


def sse(text: str) -> tuple[list[str], list[Any]]:
    """(comment lines, data payloads) of an SSE body; payloads are parsed JSON or "[DONE]"."""
    lines = text.split("\n")
    data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    comments = [line for line in lines if line.startswith(":")]
    return comments, [payload if payload == "[DONE]" else json.loads(payload) for payload in data]


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value, list items merged: {"a", "a.b", "c[].d", …}."""
    if isinstance(value, dict):
        paths: set[str] = set()
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | key_paths(item, path)
        return paths
    if isinstance(value, list):
        return set().union(*(key_paths(item, prefix + "[]") for item in value))
    return set()


def recording(name: str, *, raw: bool = False) -> Any:
    """A recorded body: parsed JSON (leading whitespace allowed), or text if SSE or raw."""
    if not RECORDINGS.is_dir():
        pytest.skip(f"recordings folder missing: {RECORDINGS}")
    text = (RECORDINGS / name).read_text(encoding="utf-8")
    return text if raw or name.endswith(".sse") else json.loads(text)


def dig(value: Any, path: str) -> Any:
    """`dig(body, "choices.0.message")` is body["choices"][0]["message"]."""
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    return value
