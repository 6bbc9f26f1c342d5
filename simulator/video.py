"""Video generation: `POST /videos`, polling, content download and `GET /videos/models`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from simulator.bodies import error_body
from simulator.common import (
    NO_COOKIE_AUTH,
    Call,
    auth_problem,
    early_fault,
    error_response,
    json_response,
    open_call,
    state_of,
)
from simulator.mp4 import sample_mp4
from simulator.state import VideoJob, generation_id, random_token
from simulator.video_models import VIDEO_MODELS, funnel_metadata, lookup_video, video_problem

_OUTCOMES = {"video_failed": "failed", "video_cancelled": "cancelled", "video_expired": "expired"}
_ERRORS = {
    "failed": "Content policy violation",
    "cancelled": "Job was cancelled",
    "expired": "Job exceeded maximum time to live",
}


def _origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _job_url(request: Request, job: VideoJob, relative: bool = False) -> str:
    path = f"/api/v1/videos/{job.id}"
    return path if relative else _origin(request) + path


def _too_large(request: Request) -> Response | None:
    length = request.headers.get("content-length", "0")
    limit = state_of(request).config.max_video_body_bytes
    if length.isdigit() and int(length) > limit:
        return error_response(413, f"Request body too large (limit {limit} bytes)")
    return None


def _new_job(call: Call, model: str, duration: int, price: float) -> VideoJob:
    scenario, fault = call.scenario, call.fault_name or ""
    if call.config.video_id_style == "bare":
        job_id, gen_id = random_token(), generation_id("gen-vid")
    else:
        job_id = gen_id = generation_id("gen-vid")
    return VideoJob(
        job_id,
        gen_id,
        model,
        _OUTCOMES.get(fault, "completed"),
        scenario.video_pending_polls,
        scenario.video_in_progress_polls,
        scenario.relative_polling_url,
        fault == "video_content_502",
        round(price * duration, 6),
    )


async def submit_video(request: Request) -> Response:
    too_large = _too_large(request)
    call = too_large or await open_call(request)
    if isinstance(call, Response):
        return call
    model = str(call.body.get("model") or "")
    spec = lookup_video(model)
    if spec is None:
        body = error_body(400, f"{model} is not a valid model ID", user_id=call.config.user_id)
        return json_response(400, body)
    problem = video_problem(spec, call.body)
    if problem is not None:
        message, with_funnel = problem
        return json_response(
            400, error_body(400, message, funnel_metadata() if with_funnel else None)
        )
    info = call.error_info(model, "Simulated Video", str(call.body.get("prompt") or ""), None)
    early = await early_fault(call, info)
    if early is not None:
        return early
    await call.latency()
    duration = int(call.body.get("duration") or spec.durations[0])
    job = _new_job(call, model, duration, spec.price_per_second)
    call.state.videos[job.id] = job
    call.state.record_generation(
        job.generation_id,
        {"id": job.generation_id, "model": model, "total_cost": job.cost, "api_type": "video"},
        0.0,
    )
    payload = {
        "id": job.id,
        "polling_url": _job_url(request, job, job.relative_url),
        "status": "pending",
    }
    return call.reply(202, payload)


def _not_found(job_id: str) -> Response:
    return error_response(404, f"Job {job_id} not found")


def poll_body(request: Request, job: VideoJob, status: str) -> dict[str, Any]:
    """Shapes of video-poll-pending-*.json and video-poll-completed-*.json."""
    body: dict[str, Any] = {
        "id": job.id,
        "generation_id": job.generation_id,
        "polling_url": _job_url(request, job),
        "status": status,
    }
    if status == "completed":
        body["unsigned_urls"] = [f"{_job_url(request, job)}/content?index=0"]
        body["usage"] = {"cost": job.cost, "is_byok": False}
    elif status in _ERRORS:
        body["error"] = _ERRORS[status]
    return body


async def _job_call(request: Request, missing_auth: str | None = None) -> Call | Response:
    if missing_auth is not None:
        problem = auth_problem(request, missing_auth)
        if problem is not None:
            return problem
    call = await open_call(request, auth=missing_auth is None)
    if isinstance(call, Response):
        return call
    info = call.error_info("video", "Simulated Video", "", None)
    return await early_fault(call, info) or call


async def poll_video(request: Request) -> Response:
    call = await _job_call(request)
    if isinstance(call, Response):
        return call
    job = call.state.videos.get(request.path_params["job_id"])
    if job is None:
        return _not_found(request.path_params["job_id"])
    job.polls += 1
    await call.latency()
    return call.reply(200, poll_body(request, job, job.status()))


async def _bytes(data: bytes) -> AsyncIterator[bytes]:
    yield data  # streamed, so the reply is chunked without Content-Length like the recording


async def video_content(request: Request) -> Response:
    call = await _job_call(request, NO_COOKIE_AUTH)
    if isinstance(call, Response):
        return call
    job_id = request.path_params["job_id"]
    job = call.state.videos.get(job_id)
    if job is None:
        return _not_found(job_id)
    if job.status() != "completed":
        return error_response(404, f"Job {job_id} has no video output (status: {job.status()})")
    if job.content_fault or call.fault_name == "video_content_502":
        return error_response(502, "Provider returned error")
    index = request.query_params.get("index", "0")
    if index != "0":
        return error_response(400, f"Video index {index} out of range (1 videos available)")
    return StreamingResponse(_bytes(sample_mp4()), 200, media_type="video/mp4")


async def video_models(_request: Request) -> Response:
    return json_response(200, {"data": [spec.entry() for spec in VIDEO_MODELS]})
