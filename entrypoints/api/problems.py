"""Errors as RFC 9457 problem documents: one table from `code` to status and title."""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from application.errors import RateLimitedError, UpstreamUnavailableError
from domain.errors import BudgetExceededError, Error
from entrypoints.api.openai_errors import is_v1, openai_response

log = logging.getLogger("allucanget.api")
PROBLEM_JSON = "application/problem+json"
# What a family of routes can answer, for `problem_responses(*AUTHED, ...)`.
AUTHED = ("not_authenticated", "token_invalid", "token_expired")
ACCOUNT = (*AUTHED, "key_not_allowed")  # routes for a signed-in person, never an API key
ADMIN = (*ACCOUNT, "forbidden")
SPEND = ("budget_exceeded", "price_unknown")  # routes that reserve before calling upstream
UPSTREAM = (
    "provider_not_configured",
    "upstream_rejected",
    "upstream_unavailable",
    "upstream_timeout",
)


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    title: str


PROBLEMS: Final[dict[str, Problem]] = {
    "validation_error": Problem(422, "Invalid request"),
    "invalid_email": Problem(422, "Invalid email address"),
    "weak_password": Problem(422, "Password not accepted"),
    "invalid_credentials": Problem(401, "Invalid email or password"),
    "not_authenticated": Problem(401, "Not authenticated"),
    "token_invalid": Problem(401, "Invalid token"),
    "token_expired": Problem(401, "Token expired"),
    "token_revoked": Problem(401, "Token revoked"),
    "token_reused": Problem(401, "Refresh token reused"),
    "budget_exceeded": Problem(402, "Budget exceeded"),
    "forbidden": Problem(403, "Forbidden"),
    "key_not_allowed": Problem(403, "Not allowed with an API key"),
    "not_found": Problem(404, "Not found"),
    "model_not_found": Problem(404, "Model not found"),
    "method_not_allowed": Problem(405, "Method not allowed"),
    "email_taken": Problem(409, "Email already registered"),
    "last_admin": Problem(409, "At least one admin must remain"),
    "conflict": Problem(409, "Changed concurrently, retry"),
    "too_many_keys": Problem(409, "Too many API keys"),
    "payload_too_large": Problem(413, "Payload too large"),
    "unsupported_media_type": Problem(415, "Unsupported media type"),
    "range_not_satisfiable": Problem(416, "Range not satisfiable"),
    "rate_limited": Problem(429, "Too many requests"),
    "invalid_image": Problem(422, "Invalid image"),
    "invalid_url": Problem(422, "URL not allowed"),
    "price_unknown": Problem(422, "Model price unknown"),
    "upstream_rejected": Problem(422, "Refused by the model provider"),
    "upstream_unavailable": Problem(502, "Model provider unavailable"),
    "upstream_timeout": Problem(504, "Model provider timed out"),
    "provider_not_configured": Problem(503, "No model provider configured"),
    "stream_cancelled": Problem(400, "Request cancelled"),
    "storage_unavailable": Problem(503, "Storage unavailable"),
    "internal_error": Problem(500, "Internal error"),
    "service_unavailable": Problem(503, "Service unavailable"),
}
HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
BEARER_CHALLENGES = {"not_authenticated": "Bearer", "token_invalid": 'Bearer error="invalid_token"'}


def problem_response(
    code: str, detail: str, request: Request, status: int | None = None, **extra: Any
) -> JSONResponse:
    problem = PROBLEMS[code]
    status = status or problem.status
    if is_v1(request):  # the OpenAI-compatible API speaks OpenAI's errors
        response = openai_response(code, detail or problem.title, status, extra)
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = BEARER_CHALLENGES.get(
                code, 'Bearer error="invalid_token"'
            )
        return response
    body = {
        "type": f"/problems/{code.replace('_', '-')}",
        "title": problem.title,
        "status": status,
        "detail": detail or problem.title,
        "code": code,
        **extra,
    }
    headers = {}
    if status == 401:  # RFC 6750 §3: every 401 carries a Bearer challenge
        headers["WWW-Authenticate"] = BEARER_CHALLENGES.get(code, 'Bearer error="invalid_token"')
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def documented(use_case: type, *codes: str) -> dict[str, Any]:
    """`responses=` and `description=` of a route: the problems it can answer, and what the
    use case behind it does (its docstring)."""
    return {"responses": problem_responses(*codes), "description": inspect.getdoc(use_case)}


def problem_responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: every status it can answer, documented in OpenAPI."""
    statuses: dict[int, list[str]] = {}
    for code in (*codes, "validation_error", "rate_limited"):
        statuses.setdefault(PROBLEMS[code].status, []).append(code)
        if code == "upstream_unavailable":
            statuses.setdefault(503, []).append(code)
            statuses.setdefault(422, []).append(code)
    return {
        status: {
            "description": ", ".join(sorted(set(names))),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}},
        }
        for status, names in sorted(statuses.items())
    }


def install(app: FastAPI) -> None:
    app.add_exception_handler(Error, _on_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)


async def _on_error(request: Request, exc: Error) -> JSONResponse:
    if isinstance(exc, UpstreamUnavailableError):
        return _upstream_problem(request, exc)
    if isinstance(exc, BudgetExceededError):
        return problem_response(exc.code, exc.detail, request, **budget_fields(exc))
    response = problem_response(exc.code, exc.detail, request)
    if isinstance(exc, RateLimitedError):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


def budget_fields(exc: BudgetExceededError) -> dict[str, Any]:
    """The 402's own fields (api contract): the budget, its spend, and when it resets."""
    return {
        "limit": float(exc.limit),
        "spent": float(exc.spent),
        "reserved": float(exc.reserved),
        "resets_at": exc.resets_at.isoformat() if exc.resets_at else None,
    }


def _upstream_problem(request: Request, exc: UpstreamUnavailableError) -> JSONResponse:
    """Rate limited upstream is a 503 with Retry-After; a request OpenRouter refused as
    invalid (an unknown model, too long a context) is the client's 422; any other failure
    is a 502 (security.md #34)."""
    busy = exc.reason == "rate_limited"
    status = 503 if busy else 422 if exc.reason == "bad_request" else 502
    response = problem_response(exc.code, exc.detail, request, status=status, reason=exc.reason)
    if busy and exc.retry_after_s:
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors()
    ]
    log.info("input_validation_fail", extra={"event": "input_validation_fail"})
    return problem_response(
        "validation_error", "The request does not match the schema.", request, errors=errors
    )


async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = {
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
        415: "unsupported_media_type",
    }.get(exc.status_code, "validation_error")
    response = problem_response(code, "", request)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:  # RFC 9110 §15.5.6: every method of the resource
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's 405 names only the methods
    of the first route whose path matched (`/users/{id}` answered `Allow: GET` though
    DELETE is served by another route of the same path). Each method is asked of the
    routes themselves (a fresh scope, no state of the route that answered)."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    return [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({"type": "http", "path": path, "root_path": root, "method": method})[0]
            is Match.FULL
            for route in request.app.router.routes
        )
    ]


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", "-")
    log.exception("unexpected error", extra={"request_id": request_id})
    return problem_response(
        "internal_error", "Something went wrong on our side.", request, request_id=request_id
    )
