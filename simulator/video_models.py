"""Video models with their capability sets, and validation of `POST /videos` against them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.catalogue import model_entry

_FUNNEL = {
    "routing_funnel": [{"step": "Initial Endpoints", "endpoint_count": 1}],
    "failed_routing_step": "Validate Video Parameters",
}


@dataclass(frozen=True, slots=True)
class VideoModelSpec:
    """One `GET /videos/models` entry; a None capability means "not supported"."""

    id: str
    name: str
    resolutions: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    sizes: tuple[str, ...] | None
    durations: tuple[int, ...]
    frame_images: tuple[str, ...] | None
    generate_audio: bool | None
    seed: bool | None
    pricing: dict[str, str]
    served_as: str
    no_prompt_message: str = "A prompt is required when no image input is provided"

    @property
    def price_per_second(self) -> float:
        return float(next(iter(self.pricing.values())))

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "canonical_slug": self.served_as,
            "name": self.name,
            "description": f"{self.name} (simulated).",
            "created": 1767225600,
            "hugging_face_id": None,
            "supported_resolutions": list(self.resolutions),
            "supported_aspect_ratios": list(self.aspect_ratios),
            "supported_sizes": list(self.sizes) if self.sizes else None,
            "supported_durations": list(self.durations),
            "supported_frame_images": list(self.frame_images) if self.frame_images else None,
            "generate_audio": self.generate_audio,
            "seed": self.seed,
            "upscale_factor": None,
            "creativity": None,
            "pricing_skus": dict(self.pricing),
            "allowed_passthrough_parameters": [],
        }

    def catalogue_entry(self) -> dict[str, Any]:
        return model_entry(
            self.id,
            self.name,
            ("text", "image"),
            ("video",),
            {"prompt": "0", "completion": "0"},
            slug=self.served_as,
        )


_WIDE = ("16:9", "9:16", "1:1", "4:3", "3:4")
VIDEO_MODELS: tuple[VideoModelSpec, ...] = (
    VideoModelSpec(
        "google/veo-3.1-lite",
        "Google: Veo 3.1 Lite",
        ("720p", "1080p"),
        ("16:9", "9:16"),
        None,
        (8, 4, 6),
        ("first_frame", "last_frame"),
        True,
        None,
        {"per-video-second": "0.50", "per-video-second-1080p": "0.75"},
        "google/veo-3.1-lite-20260301",
    ),
    VideoModelSpec(
        "x-ai/grok-imagine-video",
        "xAI: Grok Imagine Video",
        ("480p", "720p"),
        _WIDE,
        None,
        tuple(range(1, 16)),
        ("first_frame",),
        True,
        None,
        {"per-video-second": "0.052"},
        "x-ai/grok-imagine-video-20260512",
        "xAI video generations require a prompt when no image input is provided",
    ),
    VideoModelSpec(
        "bytedance/seedance-2.0-mini",
        "ByteDance: Seedance 2.0 Mini",
        ("480p", "720p"),
        (*_WIDE, "21:9"),
        ("864x480", "1280x720"),
        (4, 5, 6, 8, 10, 12),
        ("first_frame", "last_frame"),
        True,
        True,
        {"per-video-second-480p": "0.034", "per-video-second-720p": "0.068"},
        "bytedance/seedance-2.0-mini-20260815",
    ),
    VideoModelSpec(
        "openai/sora-2-pro",
        "OpenAI: Sora 2 Pro",
        ("720p", "1080p"),
        ("16:9", "9:16"),
        ("1280x720", "720x1280", "1792x1024", "1024x1792"),
        (4, 8, 12),
        None,
        True,
        False,
        {"per-video-second": "0.30"},
        "openai/sora-2-pro-20251006",
    ),
)
_BY_ID = {spec.id: spec for spec in VIDEO_MODELS}


def lookup_video(model: str) -> VideoModelSpec | None:
    return _BY_ID.get(model)


def _listed(values: tuple[Any, ...] | None, unit: str = "") -> str:
    return ", ".join(str(value) for value in values or ()) + unit


def _duration(spec: VideoModelSpec, body: dict[str, Any]) -> str | None:
    value = body.get("duration")
    if value is None or value in spec.durations:
        return None
    return (
        f"Duration {value}s is not supported for this model. Supported durations: "
        f"{_listed(tuple(sorted(spec.durations)), 's')}"
    )


def _resolution(spec: VideoModelSpec, body: dict[str, Any]) -> str | None:
    value = body.get("resolution")
    if value is None or value in spec.resolutions:
        return None
    return (
        f"Resolution {value} is not supported for this model. Supported resolutions: "
        f"{_listed(spec.resolutions)}"
    )


def _aspect(spec: VideoModelSpec, body: dict[str, Any]) -> str | None:
    value = body.get("aspect_ratio")
    if value is None or value in spec.aspect_ratios:
        return None
    return (
        f"Aspect ratio {value} is not supported for this model. Supported aspect ratios: "
        f"{_listed(spec.aspect_ratios)}"
    )


def _size(spec: VideoModelSpec, body: dict[str, Any]) -> str | None:
    value = body.get("size")
    if value is None or value in (spec.sizes or ()):
        return None
    return (
        f"Size {value} is not supported for this model. Supported sizes: "
        f"{_listed(spec.sizes) or 'none'}"
    )


def _frames(spec: VideoModelSpec, body: dict[str, Any]) -> str | None:
    for frame in body.get("frame_images") or ():
        kind = frame.get("frame_type") if isinstance(frame, dict) else None
        if kind not in (spec.frame_images or ()):
            return (
                f"Frame type {kind} is not supported for this model. Supported frame "
                f"types: {_listed(spec.frame_images) or 'none'}"
            )
    return None


_CHECKS: tuple[Callable[[VideoModelSpec, dict[str, Any]], str | None], ...] = (
    _duration,
    _resolution,
    _aspect,
    _size,
    _frames,
)


def video_problem(spec: VideoModelSpec, body: dict[str, Any]) -> tuple[str, bool] | None:
    """(message, with routing-funnel metadata) for the first rule the request breaks."""
    has_image = bool(body.get("frame_images") or body.get("input_references"))
    if not body.get("prompt") and not has_image:
        return spec.no_prompt_message, False
    if body.get("previous_job_id"):
        return f"{spec.served_as} does not support previous_job_id", False
    for check in _CHECKS:
        message = check(spec, body)
        if message:
            return message, True
    return None


def funnel_metadata() -> dict[str, Any]:
    return copy.deepcopy(_FUNNEL)
