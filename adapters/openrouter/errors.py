"""OpenRouter failures (HTTP statuses, error bodies, transport faults) as application errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from application.errors import (
    UpstreamRejectedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from domain.errors import Error

# openrouter.md §6 and §8.5: worth another attempt; 402 only when it carries Retry-After.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 524, 529})
# security.md #34: our key and our credits are the operator's business, never the user's 401.
KEY_REFUSED = "The server's OpenRouter key was refused; ask an admin to check it."
NO_CREDITS = "The server's OpenRouter account is out of credits; ask an admin."
NOT_ALLOWED = "The server's OpenRouter key may not do this; ask an admin."
RATE_LIMITED = "OpenRouter is rate limiting this server; try again shortly."
PROVIDER_DOWN = "The model provider failed; try again shortly."
UNREACHABLE = "Could not reach OpenRouter; try again shortly."
BROKE = "The connection to OpenRouter broke in the middle of the answer."
POLICY = "The model provider refused this request under its content policy"
# String codes and error types seen in bodies and stream chunks (openrouter.md §2, §6, §8.6).
_NAMED_CODES = {
    "rate_limit_exceeded": 429,
    "server_error": 502,
    "server": 500,
    "provider_overloaded": 503,
    "timeout": 408,
    "invalid_request": 400,
    "context_length_exceeded": 400,
    "model_not_found": 400,
}
_POLICY_WORDS = ("content_policy", "moderation", "guardrail", "content_filter")
_KEY_SHAPE = re.compile(r"sk-or-[A-Za-z0-9_-]*")
_REASON = re.compile(r"^[A-Za-z0-9 _./-]{1,40}$")
_MAX_DETAIL = 300


def error_object(payload: Any) -> dict[str, Any]:
    """The `error` object of a body or stream chunk, or {} when there is none."""
    error = payload.get("error") if isinstance(payload, dict) else None
    return error if isinstance(error, dict) else {}


def upstream_error(
    status: int, payload: Any, *, retry_after_s: float | None = None, secret: str = ""
) -> Error:
    """THE mapping of an upstream failure (status line, or a code inside a 200 body) to ours."""
    error = error_object(payload)
    if status == 400:
        return _rejected(error) if _mentions_policy(error) else _bad_request(error, secret)
    if status == 401:
        return UpstreamUnavailableError(KEY_REFUSED, reason="provider_down")
    if status == 402:
        return UpstreamUnavailableError(
            NO_CREDITS, reason="out_of_credits", retry_after_s=_whole(retry_after_s)
        )
    if status == 403:  # moderation or guardrail; otherwise our key lacks a permission
        if _is_moderation(error):
            return _rejected(error)
        return UpstreamUnavailableError(NOT_ALLOWED, reason="provider_down")
    if status == 408:
        return UpstreamTimeoutError()
    if status == 429:
        return UpstreamUnavailableError(
            RATE_LIMITED, reason="rate_limited", retry_after_s=_whole(retry_after_s)
        )
    if 400 <= status < 500:  # 404 unknown model or endpoint, 413, 422, ...
        return _bad_request(error, secret)
    if 300 <= status < 400:  # redirects are never followed (security.md #33)
        return bad_response("OpenRouter answered with a redirect.")
    return UpstreamUnavailableError(
        PROVIDER_DOWN, reason="provider_down", retry_after_s=_whole(retry_after_s)
    )


def body_error(error: Any, *, secret: str = "") -> Error:
    """An error reported inside a 200 body or an SSE chunk; `code` may be an int, a string
    or missing, so the Aug 2026 `http_status` and `error_type` fields are tried too (§6)."""
    error = error if isinstance(error, dict) else {}
    if _mentions_policy(error):
        return _rejected(error)
    status = _status_of(error.get("code"))
    status = status or _status_of(error.get("http_status")) or _status_of(error.get("error_type"))
    return upstream_error(status or 502, {"error": error}, secret=secret)


def transport_error(exc: httpx.HTTPError, *, answering: bool = False) -> Error:
    """A timeout, a refused or dropped connection (`answering`: after the status line)."""
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeoutError()
    if isinstance(exc, httpx.DecodingError):
        return bad_response("OpenRouter sent a body that could not be decoded.")
    return UpstreamUnavailableError(BROKE if answering else UNREACHABLE, reason="provider_down")


def bad_response(detail: str) -> UpstreamUnavailableError:
    return UpstreamUnavailableError(detail, reason="bad_response")


def content_filtered() -> UpstreamRejectedError:
    return UpstreamRejectedError(f"{POLICY}.")


def retry_after_s(headers: Mapping[str, str], payload: Any) -> float | None:
    """Seconds from `Retry-After` (delta or HTTP date), else `error.availability.retry_after`."""
    value = headers.get("retry-after")
    if value is not None:
        return _parse_retry_after(value.strip())
    availability = error_object(payload).get("availability")
    seconds = availability.get("retry_after") if isinstance(availability, dict) else None
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= 0:
        return float(seconds)
    return None


def _parse_retry_after(value: str) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _whole(seconds: float | None) -> int:
    return 0 if seconds is None else int(-(-seconds // 1))


def _status_of(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int) and 100 <= code < 600:
        return code
    if isinstance(code, str):
        return int(code) if code.isdigit() and 100 <= int(code) < 600 else _NAMED_CODES.get(code)
    return None


def _metadata(error: dict[str, Any]) -> dict[str, Any]:
    metadata = error.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _mentions_policy(error: dict[str, Any]) -> bool:
    kinds = (error.get("error_type"), _metadata(error).get("error_type"), error.get("code"))
    return any(isinstance(k, str) and any(w in k for w in _POLICY_WORDS) for k in kinds)


def _is_moderation(error: dict[str, Any]) -> bool:
    metadata = _metadata(error)
    return _mentions_policy(error) or any(
        key in metadata for key in ("reasons", "flagged_input", "patterns")
    )


def _rejected(error: dict[str, Any]) -> UpstreamRejectedError:
    """A short reason from `metadata.reasons` only; `flagged_input` (the user's text) and the
    message (model and provider names) stay out of what we show (openrouter.md §6)."""
    reasons = _metadata(error).get("reasons")
    listed = reasons if isinstance(reasons, list) else []
    words = [reason for reason in listed if isinstance(reason, str) and _REASON.match(reason)]
    return UpstreamRejectedError(f"{POLICY} ({', '.join(words[:3])})." if words else f"{POLICY}.")


def _bad_request(error: dict[str, Any], secret: str) -> UpstreamUnavailableError:
    """The upstream message helps here ("not a valid model ID", context length); it is cut,
    and anything shaped like a key is blanked (security.md #16)."""
    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        return UpstreamUnavailableError("OpenRouter refused the request.", reason="bad_request")
    if secret:
        message = message.replace(secret, "[redacted]")
    message = " ".join(_KEY_SHAPE.sub("[redacted]", message).split())[:_MAX_DETAIL]
    detail = f"OpenRouter refused the request: {message}"
    return UpstreamUnavailableError(detail, reason="bad_request")
