"""Sending a message and regenerating the last answer: a plain form answered by a redirect
(no JavaScript, the whole answer at once), or the answer streamed in for chat.js."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.chat.forms import MessageForm, RegenerateForm
from entrypoints.web.chat.page import chat_page
from entrypoints.web.chat.problems import chat_message
from entrypoints.web.fields import attach_validation_errors
from entrypoints.web.formatting import usage_text
from entrypoints.web.generation.problems import SERVICE_DOWN
from entrypoints.web.generation.text_stream import stream_response
from entrypoints.web.inflight import TooManyGenerationsError, generation_slot, take_slot
from entrypoints.web.lookup import check_id
from entrypoints.web.render import render_markdown
from entrypoints.web.session import (
    EXPIRED_MESSAGE,
    SessionExpiredError,
    api,
    call_api,
    forget,
    login_required,
    signed_in,
)

bp = Blueprint("chat_messages", __name__)
# Refusals that store nothing: the page comes back with the message still typed in.
NOTHING_STORED = frozenset({400, 402, 409, 413, 422, 429})


@bp.post("/chat/<conversation_id>/messages")
@login_required
def send(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    form = MessageForm()
    if not form.validate():
        return chat_page(conversation_id, form=form, status=400)
    try:
        with generation_slot():
            body = form.to_request()
            call_api(lambda token: api().send_message(token, conversation_id, body))
    except TooManyGenerationsError as busy:
        return chat_page(conversation_id, form=form, error=busy.message, status=429)
    except ApiProblem as problem:
        if problem.code == "validation_error":
            attach_validation_errors(problem, form)
        if problem.status in NOTHING_STORED:
            return chat_page(conversation_id, form=form, error=chat_message(problem), status=400)
        return _back(conversation_id, problem)  # the failed answer is stored: show it
    except ApiUnavailableError:
        return chat_page(conversation_id, form=form, error=SERVICE_DOWN, status=503)
    return redirect(url_for("chat.show", conversation_id=conversation_id, _anchor="latest"))


@bp.post("/chat/<conversation_id>/regenerate")
@login_required
def regenerate(conversation_id: str) -> ResponseReturnValue:
    check_id(conversation_id)
    form = RegenerateForm()
    if not form.validate():
        flash(" ".join(form.model.errors), "error")
        return _back(conversation_id)
    try:
        with generation_slot():
            body = form.to_request()
            call_api(lambda token: api().regenerate(token, conversation_id, body))
    except TooManyGenerationsError as busy:
        flash(busy.message, "error")
    except ApiProblem as problem:
        return _back(conversation_id, problem)
    except ApiUnavailableError:
        flash(SERVICE_DOWN, "error")
    return _back(conversation_id)


@bp.post("/chat/<conversation_id>/stream")
def stream(conversation_id: str) -> ResponseReturnValue:
    """For chat.js: an event stream, or a JSON `{code, message}` before it starts."""
    if not signed_in():
        return _session_over(conversation_id)
    check_id(conversation_id)
    form = MessageForm()
    if not form.validate():
        details = " ".join(e for n, errs in form.errors.items() if n != "csrf_token" for e in errs)
        return _problem(400, "invalid_form", details)
    try:
        release = take_slot()
    except TooManyGenerationsError as busy:
        return _problem(429, "too_many_generations", busy.message)
    body = form.to_request()
    try:
        try:
            events = call_api(lambda token: api().stream_message(token, conversation_id, body))
        except BaseException:
            release()  # nothing is streaming: the slot is free again
            raise
    except SessionExpiredError as error:
        forget()
        flash(error.message, "warning")
        return _session_over(conversation_id)
    except ApiProblem as problem:
        status = problem.status if problem.status >= 400 else 502
        return _problem(status, problem.code or "api_error", chat_message(problem))
    except ApiUnavailableError:
        return _problem(503, "service_unavailable", SERVICE_DOWN)
    response = stream_response(events, done_event)
    response.call_on_close(release)  # a stop in the browser closes the API stream too
    return response


def done_event(sent: dict[str, Any]) -> dict[str, Any]:
    """The API's `done`, with the answer rendered and sanitised here (render.py)."""
    answer = sent.get("assistant_message")
    answer = answer if isinstance(answer, dict) else {}
    usage = answer.get("usage")
    return {
        **sent,
        "rendered_html": str(render_markdown(str(answer.get("content") or ""))),
        "usage_text": usage_text(usage if isinstance(usage, dict) else None),
        "model": str(answer.get("model") or ""),
    }


def _back(conversation_id: str, problem: ApiProblem | None = None) -> ResponseReturnValue:
    if problem is not None:
        flash(chat_message(problem), "error")
        if problem.code == "not_found":
            return redirect(url_for("chat.index"))
    return redirect(url_for("chat.show", conversation_id=conversation_id, _anchor="latest"))


def _session_over(conversation_id: str) -> ResponseReturnValue:
    back = url_for("chat.show", conversation_id=conversation_id)
    login = url_for("auth.login", next=back)
    return _problem(401, "session_expired", EXPIRED_MESSAGE, redirect=login)


def _problem(status: int, code: str, message: str, **extra: Any) -> ResponseReturnValue:
    return jsonify(code=code, message=message, errors={}, **extra), status
