"""OpenRouter-shaped error bodies, one builder per status fault (see error-*.json recordings)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Body = dict[str, Any]
CREDITS_URL = "https://openrouter.ai/settings/credits"
_RATE_LIMITED_RAW = (
    "{model} is temporarily rate-limited upstream. Please retry shortly, or add your own key "
    "to accumulate your rate limits: https://openrouter.ai/settings/integrations"
)
_RATE_REMEDY = (
    "Retry shortly, add your own provider key (https://openrouter.ai/settings/integrations), or "
    "route to another provider with provider routing: "
    "https://openrouter.ai/docs/features/provider-routing"
)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What the error builders need to know about the failing request."""

    model: str
    provider: str
    prompt: str
    max_tokens: int | None
    model_max_tokens: int
    context_length: int
    user_id: str
    affordable_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class ErrorReply:
    status: int
    body: Body
    headers: dict[str, str]


def error_body(
    code: int | None,
    message: str,
    metadata: Body | None = None,
    user_id: str | None = None,
    **extra: Any,
) -> Body:
    error: Body = {"message": message}
    if code is not None:
        error["code"] = code
    if metadata is not None:
        error["metadata"] = metadata
    error.update(extra)
    body: Body = {"error": error}
    if user_id is not None:
        body["user_id"] = user_id
    return body


def _context(info: ErrorInfo) -> ErrorReply:
    asked = info.context_length * 12 + 21
    return context_reply(info, asked, 0)


def context_reply(info: ErrorInfo, text_input: int, output: int) -> ErrorReply:
    """error-400-rubyllm-context-length.json; with `max_tokens`, the output is named too."""
    asked = text_input + output
    parts = f"{text_input} of text input" + (f", {output} in the output" if output else "")
    message = (
        f"This endpoint's maximum context length is {info.context_length} tokens. However, you "
        f"requested about {asked} tokens ({parts}). Please reduce the length of "
        "either one, or use the context-compression plugin to compress your prompt automatically."
    )
    previous = [{"code": 400, "message": message}] * 2
    meta = {"provider_name": None, "previous_errors": previous}
    return ErrorReply(400, error_body(400, message, meta, info.user_id), {})


def _credits_message(requested: int, afford: int) -> str:
    return (
        f"This request requires more credits, or fewer max_tokens. You requested up to "
        f"{requested} tokens, but can only afford {afford}. To increase, visit {CREDITS_URL} "
        "and add more credits"
    )


def credits_reply(info: ErrorInfo) -> ErrorReply:
    requested = info.max_tokens if info.max_tokens is not None else info.model_max_tokens
    afford = info.affordable_tokens if info.affordable_tokens is not None else 779
    quotes = (max(afford - 45, 0), afford * 2, afford * 2)  # one quote per provider tried
    meta = {
        "limit_source": "openrouter_credits",
        "remedy_hint": f"Add credits at {CREDITS_URL}, or lower max_tokens / prompt size to "
        "fit your remaining balance.",
        "provider_name": None,
        "previous_errors": [
            {"code": 402, "message": _credits_message(requested, q)} for q in quotes
        ],
    }
    body = error_body(402, _credits_message(requested, afford), meta, info.user_id)
    return ErrorReply(402, body, {})


def _balance(info: ErrorInfo) -> ErrorReply:
    message = "Insufficient credits. Add more using https://openrouter.ai/credits"
    return ErrorReply(402, error_body(402, message, {"provider_name": None}, info.user_id), {})


def _image_balance(info: ErrorInfo) -> ErrorReply:
    message = "This request requires at least $1.00 in balance for image or video output"
    meta = {
        "limit_source": "openrouter_key_limit",
        "remedy_hint": "Raise or remove this API key's usage limit at "
        "https://openrouter.ai/settings/keys, or use a key without a limit.",
        "provider_name": None,
        "previous_errors": [{"code": 402, "message": message}],
    }
    return ErrorReply(402, error_body(402, message, meta, info.user_id), {})


def _in_flight(info: ErrorInfo) -> ErrorReply:
    meta = {"limit_source": "openrouter_in_flight_budget", "provider_name": None}
    body = error_body(402, "In-flight spending budget exceeded; retry shortly", meta, info.user_id)
    return ErrorReply(402, body, {"Retry-After": "1"})


def flagged(text: str, limit: int = 100) -> str:
    """At most `limit` characters, the middle elided as OpenRouter does."""
    if len(text) <= limit:
        return text
    head = (limit - 3) // 2
    return text[:head] + "..." + text[-(limit - 3 - head) :]


def _moderation(info: ErrorInfo) -> ErrorReply:
    message = (
        f"{info.model} requires moderation on {info.provider}. Your input was flagged "
        'for "violence". No credits were charged.'
    )
    meta = {
        "reasons": ["violence"],
        "flagged_input": flagged(info.prompt),
        "provider_name": info.provider,
        "model_slug": info.model,
    }
    return ErrorReply(403, error_body(403, message, meta, info.user_id), {})


def _rate_limited(_info: ErrorInfo) -> ErrorReply:
    reset_ms = int(time.time() * 1000) + 1000
    headers = {
        "Retry-After": "1",
        "X-RateLimit-Limit": "20",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset_ms),
    }
    body = error_body(429, "Rate limit exceeded", {"error_type": "rate_limit_exceeded"})
    return ErrorReply(429, body, headers)


def _upstream_meta(info: ErrorInfo, code: str) -> Body:
    return {
        "raw": _RATE_LIMITED_RAW.format(model=info.model),
        "provider_name": info.provider,
        "is_byok": False,
        "provider_error_code": code,
        "limit_source": "upstream_provider_shared_pool",
        "remedy_hint": _RATE_REMEDY,
    }


def _upstream_retry_after(info: ErrorInfo) -> ErrorReply:
    meta = _upstream_meta(info, "rate_limit_exceeded")
    meta.update(retry_after_seconds=1, retry_after_seconds_raw=1, headers={"Retry-After": "1"})
    body = error_body(429, "Provider returned error", meta, info.user_id)
    return ErrorReply(429, body, {"Retry-After": "1"})


def _upstream_no_retry_after(info: ErrorInfo) -> ErrorReply:
    body = error_body(429, "Provider returned error", _upstream_meta(info, "429"), info.user_id)
    return ErrorReply(429, body, {})


def _unavailable(info: ErrorInfo) -> ErrorReply:
    availability = {
        "code": "provider_overloaded",
        "retryable": True,
        "retry_after": 1,
        "requested_models": [info.model],
        "fallback_models": [],
    }
    # Since Aug 2026 availability errors leave out `code` (openrouter.md section 6).
    body = error_body(
        None,
        "All providers for this model are overloaded",
        None,
        info.user_id,
        error_type="provider_overloaded",
        http_status=503,
        availability=availability,
    )
    return ErrorReply(503, body, {"Retry-After": "1"})


def provider_error(info: ErrorInfo, code: int, raw: str) -> Body:
    meta = {"provider_name": info.provider, "raw": raw}
    return error_body(code, "Provider returned error", meta, info.user_id)


def _simple(status: int, message: str, **extra: Any) -> Callable[[ErrorInfo], ErrorReply]:
    return lambda _info: ErrorReply(status, error_body(status, message, **extra), {})


STATUS_BUILDERS: dict[str, Callable[[ErrorInfo], ErrorReply]] = {
    "400_context": _context,
    "401": _simple(401, "User not found."),
    "402": credits_reply,
    "402_balance": _balance,
    "402_image": _image_balance,
    "402_in_flight": _in_flight,
    "403": _moderation,
    "408": _simple(408, "Operation timed out. Please try again later."),
    "429": _rate_limited,
    "429_upstream": _upstream_retry_after,
    "429_no_retry_after": _upstream_no_retry_after,
    "500": _simple(500, "Internal Server Error", error_type="server"),
    "502": lambda info: ErrorReply(502, provider_error(info, 502, "error code: 502"), {}),
    "503": _unavailable,
    "524": _simple(524, "Request timed out. Please try again later."),
    "529": lambda info: ErrorReply(529, provider_error(info, 529, "Overloaded"), {}),
}
