"""OpenRouter chat request bodies and the parsing of its answers (private to the adapter)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from adapters.openrouter.errors import bad_response, body_error, content_filtered, error_object
from application.ports.generation import (
    GeneratedImage,
    ImageRequest,
    ImageResult,
    Served,
    TextRequest,
    TextResult,
)
from domain.generations import Usage

# Image tokens count as output (openrouter.md §3a): 1290 per 1K Gemini image, more at 4K.
IMAGE_MAX_TOKENS = 4096
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)(?:;[\w.+-]+=[^;,]*)*;base64,", re.I)


def text_body(request: TextRequest, *, stream: bool = False) -> dict[str, Any]:
    """`max_tokens` always: without it the credit pre-flight reserves the model's maximum
    output and can answer 402 (openrouter.md §2, §6). Messages: the system prompt, the
    earlier turns of a conversation, then the prompt."""
    messages = [{"role": "system", "content": request.system}] if request.system else []
    messages += [{"role": turn.role.value, "content": turn.content} for turn in request.history]
    messages.append({"role": "user", "content": request.prompt})
    body: dict[str, Any] = {
        "model": request.model,
        "messages": messages,
        "max_tokens": request.max_tokens,
    }
    for name in ("temperature", "top_p", "seed", "user"):
        if getattr(request, name) is not None:
            body[name] = getattr(request, name)
    if request.stop:
        body["stop"] = list(request.stop)
    if stream:
        body["stream"] = True
    return body


def image_body(request: ImageRequest) -> dict[str, Any]:
    """Gemini answers text and images; image-only models (Flux, ...) want `["image"]` alone
    (openrouter.md §3a)."""
    google = request.model.startswith("google/")
    body: dict[str, Any] = {
        "model": request.model,
        "messages": [{"role": "user", "content": request.prompt}],
        "modalities": ["image", "text"] if google else ["image"],
        "max_tokens": IMAGE_MAX_TOKENS,
    }
    if request.aspect_ratio:
        body["image_config"] = {"aspect_ratio": request.aspect_ratio}
    return body


def decode_json(raw: bytes) -> dict[str, Any]:
    """Whitespace-tolerant: OpenRouter pads non-streamed bodies with blank lines while the
    model works (openrouter.md §8.2). Anything but a JSON object is a bad response."""
    try:
        payload = json.loads(raw.decode("utf-8").strip())
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise bad_response("OpenRouter sent an answer that is not valid JSON.")
    return payload


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def usage_of(value: Any) -> Usage:
    """Counts and cost in USD; each may be missing or null (openrouter.md §2, §8.6)."""
    usage = mapping(value)
    prompt, completion = as_int(usage.get("prompt_tokens")), as_int(usage.get("completion_tokens"))
    cost = usage.get("cost")
    known = isinstance(cost, int | float) and not isinstance(cost, bool)
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=as_int(usage.get("total_tokens")) or prompt + completion,
        cost=float(cost) if isinstance(cost, int | float) and known else 0.0,
        cost_known=known,
    )


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def served_of(payload: Mapping[str, Any], requested_model: str, usage: Usage) -> Served:
    """Who really answered: `model` and `provider` name the fallback when one served (§8.7)."""
    return Served(
        model=text_or_none(payload.get("model")) or requested_model,
        provider=text_or_none(payload.get("provider")),
        upstream_id=text_or_none(payload.get("id")),
        usage=usage,
    )


def first_choice(payload: dict[str, Any], secret: str = "") -> dict[str, Any]:
    """The first choice of a 200 body, after the failures that a 200 can carry (§6, §8.3)."""
    if error_object(payload):
        raise body_error(error_object(payload), secret=secret)
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices:
        raise bad_response("OpenRouter answered without any choice.")
    choice = mapping(choices[0])
    if choice.get("finish_reason") == "error" or isinstance(choice.get("error"), dict):
        raise body_error(choice.get("error") or error_object(payload), secret=secret)
    if choice.get("finish_reason") == "content_filter":
        raise content_filtered()
    return choice


def content_text(content: Any) -> str:
    """`content` is a string, null, or (from some providers) a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def checked_text(text: str, finish_reason: str | None) -> str:
    """An empty answer that claims to be complete is a cold-start failure (§8.3); an empty
    one cut by `length` or ending in tool calls is passed on as it is."""
    if not text and finish_reason in (None, "stop"):
        raise bad_response("The model returned an empty answer.")
    return text


def text_result(payload: dict[str, Any], requested_model: str, secret: str = "") -> TextResult:
    choice = first_choice(payload, secret)
    message = mapping(choice.get("message"))
    finish = text_or_none(choice.get("finish_reason"))
    text = checked_text(content_text(message.get("content")), finish)
    usage = usage_of(payload.get("usage"))
    return TextResult(text, finish, served_of(payload, requested_model, usage))


def image_result(payload: dict[str, Any], requested_model: str, secret: str = "") -> ImageResult:
    choice = first_choice(payload, secret)
    message = mapping(choice.get("message"))
    images = message.get("images")
    decoded = tuple(decode_image(item) for item in images) if isinstance(images, list) else ()
    text = content_text(message.get("content")) or None
    usage = usage_of(payload.get("usage"))
    return ImageResult(decoded, text, served_of(payload, requested_model, usage))


def decode_image(item: Any) -> GeneratedImage:
    """A `data:` URL only (§3a, §8.9): an http URL is refused, never fetched."""
    image_url = mapping(item).get("image_url")
    url = mapping(image_url).get("url") if isinstance(image_url, dict) else image_url
    match = _DATA_URL.match(url) if isinstance(url, str) else None
    if match is None or match["type"].lower() not in IMAGE_TYPES:
        raise bad_response("The model returned an image that is not an inline image.")
    try:
        data = base64.b64decode("".join(match.string[match.end() :].split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_response("The model returned an image that could not be decoded.") from exc
    if not data:
        raise bad_response("The model returned an empty image.")
    return GeneratedImage(data, match["type"].lower())
