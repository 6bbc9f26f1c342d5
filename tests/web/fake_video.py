"""The video routes of the API stand-in (see conftest.FakeApi): jobs in memory, per owner.

A job is also a generation of kind video in FakeGenerations (same id), as in the API.
Tests move jobs along with `advance`, `finish` and `fail`.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.formparser import parse_form_data

from tests.web.fake_generation import Answer, FakeGenerations

VIDEO_PATHS = ("/generate/video",)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32
NO_USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cost": 0.0}


def _model(model_id: str, name: str, **caps: Any) -> dict[str, Any]:
    return {
        "id": model_id,
        "name": name,
        "input_modalities": ["text", "image"],
        "output_modalities": ["video"],
        "context_length": None,
        "pricing": caps.pop("pricing"),
        **caps,
    }


VIDEO_MODELS = [
    _model(
        "google/veo-3.1-lite",
        "Google: Veo 3.1 Lite",
        durations=[4, 6, 8],
        resolutions=["720p", "1080p"],
        aspect_ratios=["16:9", "9:16"],
        frame_images=["first_frame", "last_frame"],
        generate_audio=True,
        seed=None,
        pricing={"per-video-second": "0.50", "per-video-second-1080p": "0.75"},
    ),
    _model(
        "bytedance/seedance-2.0-mini",
        "ByteDance: Seedance 2.0 Mini",
        durations=[4, 5, 6, 8, 10, 12],
        resolutions=["480p", "720p"],
        aspect_ratios=["16:9", "9:16", "1:1", "21:9"],
        frame_images=["first_frame"],
        generate_audio=True,
        seed=True,
        pricing={"per-video-second": "0.034"},
    ),
    _model(
        "openai/sora-2-pro",
        "OpenAI: Sora 2 Pro",
        durations=[4, 8, 12],
        resolutions=[],
        aspect_ratios=["16:9", "9:16"],
        frame_images=[],
        generate_audio=False,
        seed=False,
        pricing={"per-video-second": "0.30"},
    ),
]


def read_body(headers: Any, raw: bytes) -> Any:
    """JSON as the other routes; a multipart body as {content_type, form, files}."""
    kind = headers.get("Content-Type") or ""
    if not kind.startswith("multipart/form-data"):
        return json.loads(raw or b"{}")
    environ = {
        "wsgi.input": io.BytesIO(raw),
        "CONTENT_LENGTH": str(len(raw)),
        "CONTENT_TYPE": kind,
        "REQUEST_METHOD": "POST",
    }
    _stream, form, files = parse_form_data(environ)
    uploads = {
        name: {"filename": f.filename, "content_type": f.mimetype, "data": f.read()}
        for name, f in files.items()
    }
    return {"content_type": kind, "form": form.to_dict(), "files": uploads}


@dataclass
class FakeVideos:
    gen: FakeGenerations = field(default_factory=FakeGenerations)  # linked by the tests
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    bodies: list[Any] = field(default_factory=list)

    def handle(self, caller: str, method: str, path: str, body: Any) -> Answer | None:
        if method == "POST" and path in ("/generate/video", "/generate/video/from-image"):
            self.bodies.append(body)
            fields = body.get("form", body)
            job = self.add_job(caller, str(fields.get("prompt")), str(fields.get("model")))
            return 202, job, {}
        job_id = path.removeprefix("/generate/video/")
        if method == "GET" and "/" not in job_id and self.owners.get(job_id) == caller:
            return 200, self.jobs[job_id], {}
        return None  # not found: someone else's job too

    def add_job(self, owner: str, prompt: str = "A fox in the snow", model: str = "") -> Any:
        item = self.gen.add(
            "video",
            prompt=prompt,
            model=model or "google/veo-3.1-lite",
            served_model=None,
            provider=None,
            status="queued",
            usage=NO_USAGE,
            duration_ms=None,
            finished_at=None,
        )
        job = {
            "id": item["id"],
            "model": item["model"],
            "status": "queued",
            "video_url": None,
            "error": None,
            "created_at": "2025-01-01T10:00:00Z",
            "updated_at": "2025-01-01T10:00:00Z",
        }
        self.jobs[job["id"]], self.owners[job["id"]] = job, owner
        return job

    def advance(self, job_id: str, status: str = "in_progress") -> None:
        self._set(job_id, status)

    def finish(self, job_id: str) -> str:
        """Complete the job with a small MP4; answers its media URL."""
        media = self.gen.add_media("video/mp4", MP4, 32, 32)
        self._set(job_id, "completed", video_url=media["url"])
        self._item(job_id)["media"] = [media]
        return str(media["url"])

    def fail(self, job_id: str, reason: str | None) -> None:
        self._set(job_id, "failed", error=reason)
        self._item(job_id)["error_code"] = "upstream_rejected"

    def _set(self, job_id: str, status: str, **values: Any) -> None:
        stamp = "2025-01-01T10:01:05Z"
        self.jobs[job_id].update(status=status, updated_at=stamp, **values)
        self._item(job_id).update(status=status)

    def _item(self, job_id: str) -> dict[str, Any]:
        return next(item for item in self.gen.items if item["id"] == job_id)
