"""The plain-HTML round trip shared by the text and image pages: form in, answer or error out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.generation.model_picker import load_models
from entrypoints.web.generation.problems import SERVICE_DOWN, present_on_form
from entrypoints.web.inflight import TooManyGenerationsError, generation_slot
from entrypoints.web.session import call_api

Generate = Callable[[str, Any], Any]  # (access token, request body) -> the API's answer


def generation_page(
    form: Any, output: str, template: str, generate: Generate
) -> ResponseReturnValue:
    """GET shows the form; POST asks the API and shows the answer, or the error next to the
    form with everything that was typed still in it."""
    picker = load_models(output)

    def page(status: int = 200, result: Any = None, error: str = "") -> ResponseReturnValue:
        context = {"form": form, "picker": picker, "result": result, "error": error}
        return render_template(template, **context), status

    if not form.is_submitted():
        if picker.options and not form.model.data:
            form.model.data = picker.options[0].id
        return page()
    if not form.validate():
        return page(400)
    try:
        with generation_slot():
            result = call_api(lambda token: generate(token, form.to_request()))
    except TooManyGenerationsError as busy:
        return page(429, error=busy.message)
    except ApiProblem as problem:
        message, status = present_on_form(problem, form)
        return page(status, error=message)
    except ApiUnavailableError:
        return page(503, error=SERVICE_DOWN)
    return page(result=result)
