"""Turn API problem codes into messages on the form that caused them (style.md Pattern 10)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from flask import flash
from flask_wtf import FlaskForm

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.fields import add_error, attach_validation_errors

GENERIC = "Something went wrong. Please try again."
MESSAGES: Mapping[str, str] = {
    "invalid_credentials": "Incorrect email or password.",
    "email_taken": "An account with this email address already exists.",
    "forbidden": "You are not allowed to do that.",
    "validation_error": "Please correct the highlighted fields.",
    "weak_password": "Choose a stronger password.",
}


def rate_limited_message(retry_after: int | None) -> str:
    if retry_after is None:
        return "Too many attempts, try again later."
    minutes = max(1, math.ceil(retry_after / 60))
    return f"Too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}."


def message_for(problem: ApiProblem, overrides: Mapping[str, str]) -> str:
    if problem.code in overrides:
        return overrides[problem.code]
    if problem.code == "rate_limited":
        return rate_limited_message(problem.retry_after)
    if problem.code == "weak_password" and problem.detail:
        return problem.detail  # too short, too long or too common: the API says which
    return MESSAGES.get(problem.code, GENERIC)


def present(
    problem: ApiProblem,
    form: FlaskForm,
    *,
    fields: Mapping[str, str] | None = None,
    messages: Mapping[str, str] | None = None,
) -> int:
    """Show `problem` next to its field (`fields`: code -> field name) or as a flash.

    Returns the status code for the re-rendered page.
    """
    text = message_for(problem, messages or {})
    field_name = (fields or {}).get(problem.code)
    if problem.code == "validation_error" and attach_validation_errors(problem, form):
        flash(text, "error")
    elif field_name is not None:
        add_error(form, field_name, text)
    else:
        flash(text, "error")
    return problem.status if problem.status < 500 else 502
