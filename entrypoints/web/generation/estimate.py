"""The estimated maximum cost of what a generation page is about to send (POST
/generate/estimate: nothing is reserved or sent). Rendered with the page for its current
selection, and at /estimate as JSON for estimate.js, which asks again as the form changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from entrypoints.web.api_errors import ApiProblem, ApiUnavailableError
from entrypoints.web.budget import Estimate
from entrypoints.web.generation.forms import MAX_MODEL_ID, MAX_PROMPT, MAX_TOKENS, MODEL_ID
from entrypoints.web.session import SessionExpiredError, api, call_api, signed_in

bp = Blueprint("estimate", __name__)

KINDS = frozenset({"text", "image", "video"})
ACTION = "estimate"  # the value of the form's Estimate button (name="action")
UNAVAILABLE = "The cost cannot be estimated right now."


def wants_estimate() -> bool:
    """The page's Estimate button was pressed: estimate, do not generate."""
    return request.form.get("action") == ACTION


def estimate_request(kind: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """The estimate's body from what the form holds; None without a usable model id."""
    model = str(fields.get("model") or "").strip()
    if kind not in KINDS or len(model) > MAX_MODEL_ID or not MODEL_ID.match(model):
        return None
    body: dict[str, Any] = {"kind": kind, "model": model}
    for name in ("prompt", "system") if kind == "text" else ("prompt",):
        text = str(fields.get(name) or "")
        if text:
            body[name] = text[:MAX_PROMPT]
    numbers = {"text": ("max_tokens",), "video": ("duration",)}.get(kind, ())
    for name in numbers:
        value = str(fields.get(name) or "").strip()
        if value.isdigit() and 0 < int(value) <= MAX_TOKENS:
            body[name] = int(value)
    resolution = str(fields.get("resolution") or "").strip()
    if kind == "video" and resolution.isalnum() and len(resolution) <= 8:
        body["resolution"] = resolution
    return body


def estimate_for(kind: str, fields: Mapping[str, Any]) -> Estimate | None:
    """None when there is nothing to estimate or the API cannot say: the page still works."""
    body = estimate_request(kind, fields)
    if body is None:
        return None
    try:
        return Estimate.from_json(call_api(lambda token: api().estimate(token, body)))
    except (ApiProblem, ApiUnavailableError):
        return None


def estimate_form(kind: str, form: Any) -> Estimate | None:
    return estimate_for(kind, {name: form[name].data for name in form._fields})


@bp.post("/estimate")
def post() -> ResponseReturnValue:
    """For estimate.js: `{text, allowed, max_cost}`; CSRF as X-CSRFToken, like /text/stream."""
    if not signed_in():
        return jsonify(code="session_expired", text=""), 401
    kind = request.form.get("kind", "")
    body = estimate_request(kind, request.form)
    if body is None:
        return jsonify(code="invalid_form", text=""), 400
    try:
        answer = call_api(lambda token: api().estimate(token, body))
    except SessionExpiredError:
        return jsonify(code="session_expired", text=""), 401
    except (ApiProblem, ApiUnavailableError):
        return jsonify(code="estimate_unavailable", text=UNAVAILABLE), 200
    estimate = Estimate.from_json(answer)
    return jsonify(text=estimate.text, allowed=estimate.allowed, max_cost=estimate.max_cost)
