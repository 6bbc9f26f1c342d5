"""Text generation: the form, the answer streamed through /text/stream, and a no-JS fallback."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.generation.estimate import estimate_form
from entrypoints.web.generation.forms import TextForm
from entrypoints.web.generation.page import generation_page
from entrypoints.web.generation.problems import SERVICE_DOWN, generation_message
from entrypoints.web.generation.text_stream import stream_response
from entrypoints.web.inflight import TooManyGenerationsError, take_slot
from entrypoints.web.session import (
    EXPIRED_MESSAGE,
    SessionExpiredError,
    api,
    call_api,
    forget,
    login_required,
    signed_in,
)

bp = Blueprint("text", __name__)


@bp.route("/text", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """Without JavaScript the form posts here and the whole answer comes back at once."""
    return generation_page(TextForm(), "text", "text/index.html", api().generate_text)


@bp.post("/text/stream")
def stream() -> ResponseReturnValue:
    """For text.js: an event stream, or a JSON `{code, message, errors?}` before it starts."""
    if not signed_in():
        return _session_over()
    form = TextForm()
    if not form.validate():
        return _problem(400, "invalid_form", "", _form_errors(form))
    try:
        release = take_slot()
    except TooManyGenerationsError as busy:
        return _problem(429, "too_many_generations", busy.message)
    try:
        try:
            events = call_api(lambda token: api().stream_text(token, form.to_request()))
        except BaseException:
            release()  # nothing is streaming: the slot is free again
            raise
    except SessionExpiredError as error:
        forget()
        flash(error.message, "warning")
        return _session_over()
    except ApiProblem as problem:
        errors = _api_field_errors(problem)
        status = problem.status if problem.status >= 400 else 502
        over = problem.code == "budget_exceeded"  # the estimate names the cost and period
        message = generation_message(problem, estimate_form("text", form) if over else None)
        return _problem(status, problem.code, message, errors)
    except ApiUnavailableError:
        return _problem(503, "service_unavailable", SERVICE_DOWN)
    response = stream_response(events)
    response.call_on_close(release)  # the slot is held until the stream ends or is dropped
    return response


def _session_over() -> ResponseReturnValue:
    login = url_for("auth.login", next=url_for("text.index"))
    return _problem(401, "session_expired", EXPIRED_MESSAGE, redirect=login)


def _problem(
    status: int,
    code: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> ResponseReturnValue:
    """Field errors, if any, are the message: nothing is highlighted on a streamed page."""
    details = " ".join(text for texts in (errors or {}).values() for text in texts)
    return jsonify(code=code, message=details or message, errors=errors or {}, **extra), status


def _form_errors(form: TextForm) -> dict[str, list[str]]:
    return {
        name: [str(e) for e in errs] for name, errs in form.errors.items() if name != "csrf_token"
    }


def _api_field_errors(problem: ApiProblem) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in problem.errors:
        loc = error.get("loc")
        if isinstance(loc, list) and loc:
            errors.setdefault(str(loc[-1]), []).append(str(error.get("msg") or ""))
    return errors
