"""OpenRouter video request bodies and the parsing of its answers (openrouter.md §4)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from adapters.openrouter.errors import bad_response
from adapters.openrouter.models import each_model
from adapters.openrouter.payloads import mapping, text_or_none
from application.ports.generation import ModelInfo
from application.ports.video import SubmittedVideo, VideoPoll, VideoRequest
from domain.video_options import VideoCapabilities

_KEY_SHAPE = re.compile(r"sk-or-[A-Za-z0-9_-]*")
_MAX_ERROR = 300


def submit_body(request: VideoRequest) -> dict[str, Any]:
    """Image-to-video is the same `POST /videos` with a `first_frame` in `frame_images`."""
    body: dict[str, Any] = {"model": request.model, "prompt": request.prompt}
    body |= request.options.as_dict()
    if request.first_frame_url is not None:
        body["frame_images"] = [
            {
                "type": "image_url",
                "image_url": {"url": request.first_frame_url},
                "frame_type": "first_frame",
            }
        ]
    return body


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in; ("", "", None) if unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower())
    except ValueError:
        return "", "", None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def submitted_of(payload: dict[str, Any], base_url: str) -> SubmittedVideo:
    """The 202 answer; a relative `polling_url` (the spec's example) is resolved against the
    base URL's origin."""
    job_id = payload.get("id")
    if not isinstance(job_id, str) or not job_id.strip():
        raise bad_response("OpenRouter accepted the video job without an id.")
    polling = text_or_none(payload.get("polling_url"))
    return SubmittedVideo(job_id, urljoin(base_url + "/", polling) if polling else None)


def poll_of(payload: dict[str, Any], secret: str = "") -> VideoPoll:
    """`error` is a plain string in the spec; an object with `message` is tolerated too."""
    status = payload.get("status")
    if not isinstance(status, str) or not status:
        raise bad_response("OpenRouter reported a video job without a status.")
    error = payload.get("error")
    message = text_or_none(mapping(error).get("message")) if isinstance(error, dict) else error
    urls = payload.get("unsigned_urls")
    cost = mapping(payload.get("usage")).get("cost")
    return VideoPoll(
        status=status.lower(),
        error=_clean(message, secret) if isinstance(message, str) else None,
        content_urls=tuple(u for u in urls if isinstance(u, str)) if isinstance(urls, list) else (),
        cost=float(cost) if isinstance(cost, int | float) and not isinstance(cost, bool) else None,
    )


def _clean(message: str, secret: str) -> str:
    if secret:
        message = message.replace(secret, "[redacted]")
    return " ".join(_KEY_SHAPE.sub("[redacted]", message).split())[:_MAX_ERROR]


def video_models(payload: dict[str, Any]) -> list[ModelInfo]:
    """`/videos/models` entries; each capability may be null (not offered) (§4, §8.6)."""
    return each_model(payload, video_model)


def video_model(entry: dict[str, Any], model_id: str) -> ModelInfo:
    caps = VideoCapabilities(
        durations=tuple(v for v in _list(entry, "supported_durations") if type(v) is int),
        resolutions=_strings(entry, "supported_resolutions"),
        aspect_ratios=_strings(entry, "supported_aspect_ratios"),
        frame_images=_strings(entry, "supported_frame_images"),
        generate_audio=_flag(entry.get("generate_audio")),
        seed=_flag(entry.get("seed")),
    )
    prices = mapping(entry.get("pricing_skus"))
    return ModelInfo(
        id=model_id,
        name=text_or_none(entry.get("name")) or model_id,
        input_modalities=("text", "image") if caps.frame_images else ("text",),
        output_modalities=("video",),
        pricing={key: value for key, value in prices.items() if isinstance(value, str)} or None,
        video=caps,
    )


def _list(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    return value if isinstance(value, list) else []


def _strings(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(value for value in _list(entry, key) if isinstance(value, str))


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
