"""A video job's page, and the small JSON status that static/video_job.js polls every 2 s.

The page is whole without JavaScript (a Refresh link shows the latest state); with it, the
status, the elapsed time and the progress steps update in place, and the video appears.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, jsonify, render_template, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.generation.media import proxied
from entrypoints.web.generation.problems import SERVICE_DOWN
from entrypoints.web.generation.types import GenerationJson
from entrypoints.web.lookup import call_or_404, check_id, is_api_id
from entrypoints.web.session import (
    EXPIRED_MESSAGE,
    SessionExpiredError,
    api,
    call_api,
    forget,
    login_required,
    signed_in,
)
from entrypoints.web.video.types import VideoJobJson

bp = Blueprint("video_job", __name__)

POLL_MS = 2000
FINISHED = frozenset({"completed", "failed"})
STATUS_TEXT = {
    "queued": "Queued: waiting for the provider to start.",
    "in_progress": "In progress: the video is being made.",
    "completed": "Completed: the video is ready.",
    "failed": "Failed: the video could not be made.",
}
NO_REASON = "The provider gave no reason."
GONE = "That video job does not exist, or it is not yours."
LOST = "The job's status could not be read just now."


@bp.get("/video/<job_id>")
@login_required
def page(job_id: str) -> ResponseReturnValue:
    check_id(job_id)
    job = call_or_404(lambda token: api().video_job(token, job_id))
    view = job_view(job)
    return render_template(
        "video/job.html",
        job=job,
        view=view,
        elapsed=elapsed_text(view["elapsed_s"]),
        generation=_generation(job_id),
        poll_ms=POLL_MS,
    )


@bp.get("/video/<job_id>/status")
def status(job_id: str) -> ResponseReturnValue:
    """For video_job.js: the job in a few fields, or `{code, message}` with an error status."""
    if not is_api_id(job_id):
        return _problem(404, "not_found", GONE)
    if not signed_in():
        return _session_over(job_id)
    try:
        job = call_api(lambda token: api().video_job(token, job_id))
    except SessionExpiredError:
        forget()
        flash(EXPIRED_MESSAGE, "warning")
        return _session_over(job_id)
    except ApiProblem as problem:
        if problem.status == 404:
            return _problem(404, "not_found", GONE)
        return _problem(502, problem.code, LOST)
    except ApiUnavailableError:
        return _problem(503, "service_unavailable", SERVICE_DOWN)
    return jsonify(job_view(job))


def job_view(job: VideoJobJson, now: datetime | None = None) -> dict[str, Any]:
    """What the page shows of a job; the same fields in the JSON status."""
    state = job["status"] if job["status"] in STATUS_TEXT else "queued"
    finished = state in FINISHED
    failed = state == "failed"
    return {
        "id": job["id"],
        "status": state,
        "status_text": STATUS_TEXT[state],
        "finished": finished,
        "elapsed_s": _elapsed(job, finished, now or datetime.now(UTC)),
        "video_src": proxied(job.get("video_url")) if state == "completed" else None,
        "error_text": (job.get("error") or NO_REASON) if failed else None,
    }


def elapsed_text(seconds: int) -> str:
    """`42 s`, `3 min 05 s`, `1 h 02 min`: as video_job.js writes it."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _elapsed(job: VideoJobJson, finished: bool, now: datetime) -> int:
    """Seconds since the submit; a finished job's clock stopped at its last change."""
    start = _moment(job.get("created_at"))
    end = _moment(job.get("updated_at")) if finished else now
    if start is None or end is None:
        return 0
    return max(0, int((end - start).total_seconds()))


def _moment(stamp: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _generation(job_id: str) -> GenerationJson | None:
    """The history entry, for the prompt; the page does without it if it cannot be read."""
    try:
        return call_api(lambda token: api().generation(token, job_id))
    except (ApiProblem, ApiUnavailableError):
        return None


def _problem(status: int, code: str, message: str, **extra: Any) -> ResponseReturnValue:
    return jsonify(code=code, message=message, **extra), status


def _session_over(job_id: str) -> ResponseReturnValue:
    login = url_for("auth.login", next=url_for("video_job.page", job_id=job_id))
    return _problem(401, "session_expired", EXPIRED_MESSAGE, redirect=login)
