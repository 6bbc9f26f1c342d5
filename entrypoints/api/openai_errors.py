"""Errors of the OpenAI-compatible API (/v1/*) in OpenAI's shape, so that its SDKs raise
their own exception classes: `{"error": {"message", "type", "param", "code"}}`.

Every other path keeps RFC 9457 problem documents; the same error codes decide both."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

V1 = "/v1/"
# Our problem code -> OpenAI's code, where OpenAI has its own word for it.
OPENAI_CODES = {
    "not_authenticated": "invalid_api_key",
    "token_invalid": "invalid_api_key",
    "token_expired": "invalid_api_key",
    "token_revoked": "invalid_api_key",
    "budget_exceeded": "insufficient_quota",
    "rate_limited": "rate_limit_exceeded",
    "upstream_rejected": "content_policy_violation",
}
TYPES = {402: "insufficient_quota", 429: "requests"}


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None
    code: str | None


class OpenAIErrorOut(BaseModel):
    error: OpenAIErrorDetail


def is_v1(request: Request) -> bool:
    return request.url.path.startswith(V1)


def openai_status(status: int) -> int:
    """OpenAI answers 400 where we answer 422: the request was refused as it was."""
    return 400 if status == 422 else status


def openai_error(code: str, message: str, status: int, param: str | None = None) -> dict[str, Any]:
    status = openai_status(status)
    kind = "api_error" if status >= 500 else TYPES.get(status, "invalid_request_error")
    return {
        "error": {
            "message": message,
            "type": kind,
            "param": param,
            "code": OPENAI_CODES.get(code, code),
        }
    }


def openai_response(code: str, message: str, status: int, extra: dict[str, Any]) -> JSONResponse:
    """A problem of ours rendered for /v1: `param` names the first invalid field."""
    param = extra.get("param")
    errors = extra.get("errors")
    if param is None and isinstance(errors, list) and errors:
        loc = [part for part in errors[0].get("loc", ()) if part != "body"]
        param = ".".join(loc) or None
        message = f"{message} {param or 'body'}: {errors[0].get('msg', '')}".strip()
    body = openai_error(code, message, status, param)
    return JSONResponse(body, status_code=openai_status(status))


def openai_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a /v1 route: each status it can answer, in OpenAI's error shape."""
    every = {*statuses, 400, 401, 429, 500}
    return {
        status: {"model": OpenAIErrorOut, "description": "an OpenAI-shaped error"}
        for status in sorted(every)
    }
