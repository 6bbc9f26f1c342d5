"""Friendly error pages: no stack trace, no API detail, a way back (security.md #31)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.session import current_path

FORM_EXPIRED = "Your form expired, please try again."
UNAVAILABLE = "The service is temporarily unavailable. Please try again in a moment."
PAGES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "The request could not be understood."),
    404: ("Page not found", "We could not find that page."),
    405: ("Not allowed", "That page cannot be used this way."),
    413: ("Too large", "What you sent is too large."),
    500: ("Something went wrong", "Something went wrong on our side. Please try again."),
    502: ("Something went wrong", "Something went wrong. Please try again."),
    503: ("Service unavailable", UNAVAILABLE),
}
FORM_ENDPOINTS = frozenset(
    {"auth.login", "auth.register", "account.password", "text.index", "images.index"}
    | {"video.index", "video.from_image"}
)
# Fetched by static/text.js and chat.js, which read JSON.
JSON_ENDPOINTS = frozenset({"text.stream", "chat_messages.stream"})


def error_page(
    status: int, message: str | None = None, title: str | None = None
) -> ResponseReturnValue:
    default_title, default_message = PAGES.get(status, PAGES[500 if status >= 500 else 400])
    back = current_path() if request.endpoint in FORM_ENDPOINTS else url_for("dashboard.index")
    page = render_template(
        "error.html",
        title=title or default_title,
        message=message or default_message,
        back=back,
    )
    return page, status


def install(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> ResponseReturnValue:
        if request.endpoint in JSON_ENDPOINTS:
            return jsonify(code="csrf_failed", message=FORM_EXPIRED, errors={}), 400
        return error_page(400, FORM_EXPIRED, title="Form expired")

    @app.errorhandler(ApiUnavailableError)
    def _unavailable(error: ApiUnavailableError) -> ResponseReturnValue:
        current_app.logger.error("API unavailable: %s", error)
        return error_page(503)

    @app.errorhandler(ApiProblem)
    def _problem(error: ApiProblem) -> ResponseReturnValue:
        current_app.logger.error("API problem not handled by a view: %s", error)
        return error_page(502)

    @app.errorhandler(InternalServerError)
    def _internal(_error: InternalServerError) -> ResponseReturnValue:
        return error_page(500)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        return error_page(error.code or 500)
