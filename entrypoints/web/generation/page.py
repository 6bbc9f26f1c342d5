"""The plain-HTML round trip shared by the text and image pages: form in, answer or error out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.budget import Estimate
from entrypoints.web.generation.estimate import estimate_form, wants_estimate
from entrypoints.web.generation.model_picker import load_models
from entrypoints.web.generation.problems import SERVICE_DOWN, present_on_form
from entrypoints.web.inflight import TooManyGenerationsError, generation_slot
from entrypoints.web.session import call_api

Generate = Callable[[str, Any], Any]  # (access token, request body) -> the API's answer


def generation_page(
    form: Any, output: str, template: str, generate: Generate
) -> ResponseReturnValue:
    """GET shows the form and the estimated cost of its selection; POST asks the API and
    shows the answer, or the error and the estimate next to the form with everything that
    was typed still in it. The Estimate button (no JavaScript) only estimates."""
    picker = load_models(output)

    def page(
        status: int = 200, result: Any = None, error: str = "", estimate: Estimate | None = None
    ) -> ResponseReturnValue:
        context = {"form": form, "picker": picker, "result": result, "error": error}
        return render_template(template, **context, estimate=estimate, kind=output), status

    if not form.is_submitted():
        if picker.options and not form.model.data:
            form.model.data = picker.options[0].id
        return page(estimate=estimate_form(output, form))
    if wants_estimate():
        return page(estimate=estimate_form(output, form))
    if not form.validate():
        return page(400, estimate=estimate_form(output, form))
    try:
        with generation_slot():
            result = call_api(lambda token: generate(token, form.to_request()))
    except TooManyGenerationsError as busy:
        return page(429, error=busy.message)
    except ApiProblem as problem:
        estimate = estimate_form(output, form)
        message, status = present_on_form(problem, form, estimate)
        return page(status, error=message, estimate=estimate)
    except ApiUnavailableError:
        return page(503, error=SERVICE_DOWN)
    return page(result=result)
