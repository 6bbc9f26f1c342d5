"""What went wrong with a generation, in words for people, shown next to the form that asked.

The prompt and the options stay in the form: every message here says what to do next.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm

from entrypoints.web.api_errors import ApiProblem
from entrypoints.web.budget import PRICE_UNKNOWN, Estimate, over_budget
from entrypoints.web.fields import attach_validation_errors

NOT_CONFIGURED = (
    "No AI provider is configured on this server. Ask an admin to set OPENROUTER_API_KEY."
)
REJECTED = (
    "The AI provider refused this request under its content policy. "
    "Try rewording the prompt, or pick another model."
)
TIMED_OUT = (
    "The AI provider took too long to answer. Try again, or try a shorter prompt or another model."
)
UNAVAILABLE = "The AI provider is unavailable right now. Try again in a few minutes."
SERVICE_DOWN = "The service is temporarily unavailable. Your prompt is still here: try again."
STREAM_LOST = "The connection was lost before the answer was complete. Try again."
STREAM_UNFINISHED = "The answer stopped before it was complete. Try again."
FIX_FIELDS = "Please correct the highlighted fields."
GENERIC = "Something went wrong. Your prompt is still here: try again."
MESSAGES: Mapping[str, str] = {
    "provider_not_configured": NOT_CONFIGURED,
    "upstream_rejected": REJECTED,
    "upstream_timeout": TIMED_OUT,
    "validation_error": FIX_FIELDS,
    "stream_cancelled": "The answer was cancelled before it was complete.",
    "forbidden": "You are not allowed to do that.",
    "price_unknown": PRICE_UNKNOWN,
}
# upstream_unavailable carries a `reason` (api-contract.md, Errors).
REASONS: Mapping[str, str] = {
    "out_of_credits": (
        "The platform's OpenRouter account is out of credits. "
        "Ask an admin to top it up, then try again."
    ),
    "provider_down": (
        "The AI provider is having trouble right now. "
        "Try again in a few minutes, or pick another model."
    ),
    "bad_response": (
        "The AI provider sent back an answer that could not be read. "
        "Try again, or pick another model."
    ),
    "bad_request": (
        "The AI provider did not accept this request. "
        "Check the model and the options, or pick another model."
    ),
}


def busy_message(retry_after: int | None) -> str:
    if not retry_after:
        return "The AI provider is busy right now. Try again in a moment."
    unit = "second" if retry_after == 1 else "seconds"
    return f"The AI provider is busy right now. Try again in {retry_after} {unit}."


def generation_message(problem: ApiProblem, estimate: Estimate | None = None) -> str:
    """`estimate`: of the refused request, when the page has one (it names the period and
    the most the request could cost)."""
    if problem.code == "budget_exceeded":
        if estimate is None:
            return over_budget(problem.body)
        return over_budget({**estimate.budget, **problem.body}, estimate.max_cost)
    if problem.code == "upstream_unavailable":
        if problem.reason == "rate_limited":
            return busy_message(problem.retry_after)
        return REASONS.get(problem.reason, UNAVAILABLE)
    if problem.code == "rate_limited":  # our own API's throttle
        wait = f"in {problem.retry_after} seconds" if problem.retry_after else "in a moment"
        return (
            "You are sending requests too quickly, or have too many generations running "
            f"at once. Try again {wait}."
        )
    return MESSAGES.get(problem.code, GENERIC)


def error_code_message(code: str | None) -> str:
    """The stored error code of a failed generation, for the history."""
    return generation_message(ApiProblem(status=0, code=code)) if code else ""


def present_on_form(
    problem: ApiProblem, form: FlaskForm, estimate: Estimate | None = None
) -> tuple[str, int]:
    """(message for the top of the form, status of the re-rendered page).

    Validation errors also land on their fields; the form keeps everything that was typed.
    """
    if problem.code == "validation_error":
        attach_validation_errors(problem, form)
    return generation_message(problem, estimate), problem.status if problem.status >= 400 else 502
