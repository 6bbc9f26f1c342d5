"""What went wrong with a video request, in words, next to the form that asked.

The prompt and the options stay in the form. The API's own details are shown where they
are written for people: a refused option names the values the model allows, and a refused
image or URL says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from entrypoints.web.api_errors import ApiProblem
from entrypoints.web.budget import Estimate
from entrypoints.web.fields import attach_validation_errors
from entrypoints.web.generation.problems import FIX_FIELDS, generation_message
from entrypoints.web.video.forms import VideoForm

INVALID_IMAGE = "That image cannot be used. Choose a PNG, JPEG or WebP picture."
INVALID_URL = (
    "That image URL cannot be used: it must be an https address of a public server. "
    "Or upload the picture instead."
)
FILE_AGAIN = "Choose the file again: browsers do not keep a chosen file after sending it."
FIELDS: Mapping[str, str] = {
    "invalid_image": "image",
    "payload_too_large": "image",
    "invalid_url": "image_url",
}


def too_large(cap: str) -> str:
    return f"The image is too large: it may be at most {cap}. Choose a smaller picture."


def present_video_problem(
    problem: ApiProblem, form: VideoForm, cap: str, estimate: Estimate | None = None
) -> tuple[str, int]:
    """(message for the top of the form, status of the re-rendered page)."""
    status = problem.status if problem.status >= 400 else 502
    if problem.code == "validation_error":
        if attach_validation_errors(problem, form):
            return FIX_FIELDS, status
        # The model's capabilities were checked: the detail names the allowed values.
        return problem.detail or FIX_FIELDS, status
    name = FIELDS.get(problem.code)
    if name is not None and name in form:
        # The edge's 413 has no detail worth showing; the other two say what is wrong.
        sized = problem.code == "payload_too_large" or not problem.detail
        detail = too_large(cap) if sized else problem.detail
        form[name].errors = [*form[name].errors, detail]
        if name == "image":
            form[name].errors.append(FILE_AGAIN)
        return _summary(problem.code, cap), status
    return generation_message(problem, estimate), status


def _summary(code: str, cap: str) -> str:
    if code == "payload_too_large":
        return too_large(cap)
    return INVALID_URL if code == "invalid_url" else INVALID_IMAGE
