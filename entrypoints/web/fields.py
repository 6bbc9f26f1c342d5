"""What the forms of every area share: the trimming filter, and the API's validation errors
placed on the fields they name."""

from __future__ import annotations

from flask_wtf import FlaskForm

from entrypoints.web.api_errors import ApiProblem


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def attach_validation_errors(problem: ApiProblem, form: FlaskForm) -> bool:
    """Put each error of a 422 `validation_error` on the field its `loc` names; answer whether
    any landed."""
    attached = False
    for error in problem.errors:
        loc = error.get("loc")
        name = str(loc[-1]) if isinstance(loc, list) and loc else ""
        if name in form._fields and name != "csrf_token":
            add_error(form, name, str(error.get("msg") or "This value is not valid."))
            attached = True
    return attached


def add_error(form: FlaskForm, name: str, text: str) -> None:
    field = form[name]
    field.errors = [*field.errors, text]
