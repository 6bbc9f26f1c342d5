"""Video: a clip from a prompt, or from an image plus a prompt. Both answer at once with a
job; the browser is sent to the job's page (job.py), which follows it to the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.budget import Estimate
from entrypoints.web.errors import error_page
from entrypoints.web.generation.estimate import estimate_form, wants_estimate
from entrypoints.web.generation.problems import SERVICE_DOWN
from entrypoints.web.inflight import TooManyGenerationsError, generation_slot
from entrypoints.web.session import api, call_api, login_required
from entrypoints.web.video.forms import VideoForm, VideoFromImageForm
from entrypoints.web.video.models import Capabilities, VideoModels, load_video_models
from entrypoints.web.video.problems import present_video_problem, too_large
from entrypoints.web.video.types import VideoJobJson, VideoRequestJson
from entrypoints.web.video.uploads import (
    IMAGE_TYPES,
    allow_upload_body,
    as_upload,
    cap_text,
    image_cap,
)

bp = Blueprint("video", __name__)

UPLOAD_ENDPOINT = "video.from_image"
Submit = Callable[[str, VideoRequestJson], VideoJobJson]  # (access token, body) -> the accepted job


@bp.url_value_preprocessor
def _upload_cap(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    if endpoint == UPLOAD_ENDPOINT:
        allow_upload_body()


@bp.route("/video", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    form = VideoForm()
    return _page(form, load_video_models(), "video/index.html", api().submit_video)


@bp.route("/video/from-image", methods=["GET", "POST"])
@login_required
def from_image() -> ResponseReturnValue:
    form = VideoFromImageForm()
    image = form.image.data

    def submit(token: str, body: VideoRequestJson) -> VideoJobJson:
        upload = as_upload(image) if image else None
        return api().submit_video_from_image(token, body, upload)

    return _page(form, load_video_models(first_frame=True), "video/from_image.html", submit)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Over the web's own cap the body is never read, so the form comes back empty."""
    if request.endpoint != UPLOAD_ENDPOINT:
        return error_page(413)
    form = VideoFromImageForm(formdata=None)
    models = load_video_models(first_frame=True)
    caps = models.offer(form)
    form.image.errors = [too_large(cap_text())]
    message = f"{too_large(cap_text())} Enter the prompt again, too."
    return _render("video/from_image.html", form, models, caps, message), 413


def _page(
    form: VideoForm, models: VideoModels, template: str, submit: Submit
) -> ResponseReturnValue:
    """GET shows the form and the estimated cost; POST asks the API and sends the browser to
    the job, or shows the error next to the form with everything that was typed still in it.
    The Estimate button (no JavaScript) only estimates."""
    caps = models.offer(form)
    if not form.is_submitted() or wants_estimate():
        return _render(template, form, models, caps, estimate=estimate_form("video", form))
    if not form.validate():
        return _render(template, form, models, caps, estimate=estimate_form("video", form)), 400
    known = form.model.data in models.capabilities
    body = form.to_request(audio=caps.generate_audio or not known, seed=caps.seed or not known)
    try:
        with generation_slot():
            job = call_api(lambda token: submit(token, body))
    except TooManyGenerationsError as busy:
        return _render(template, form, models, caps, busy.message), 429
    except ApiProblem as problem:
        estimate = estimate_form("video", form)
        message, status = present_video_problem(problem, form, cap_text(), estimate)
        return _render(template, form, models, caps, message, estimate), status
    except ApiUnavailableError:
        return _render(template, form, models, caps, SERVICE_DOWN), 503
    return redirect(url_for("video_job.page", job_id=job["id"]), code=303)


def _render(
    template: str,
    form: VideoForm,
    models: VideoModels,
    caps: Capabilities,
    error: str = "",
    estimate: Estimate | None = None,
) -> str:
    return render_template(
        template,
        form=form,
        estimate=estimate,
        kind="video",
        picker=models.picker,
        caps=caps,
        capabilities=models.as_json(),
        error=error,
        max_bytes=image_cap(),
        cap=cap_text(),
        image_types=",".join(IMAGE_TYPES),
    )
