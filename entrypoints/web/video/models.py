"""The video models and what each offers: durations, resolutions, aspect ratios, audio, seed.

The page is rendered with the options of its model; static/video.js swaps them when another
model is chosen, from the same capabilities embedded in the form as JSON (`data-capabilities`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from entrypoints.web.api_client import ApiProblem, ApiUnavailableError
from entrypoints.web.formatting import cost
from entrypoints.web.generation.model_picker import ModelOption, ModelPicker
from entrypoints.web.generation.problems import SERVICE_DOWN, generation_message
from entrypoints.web.session import api, call_api
from entrypoints.web.video.forms import Choices, VideoForm
from entrypoints.web.video.types import VideoModelJson

EXAMPLE = "google/veo-3.1-lite"
FIRST_FRAME = "first_frame"
SELECTS = ("duration", "resolution", "aspect_ratio")
SHAPES = {
    "1:1": "square",
    "16:9": "wide",
    "9:16": "tall",
    "4:3": "landscape",
    "3:4": "portrait",
    "3:2": "landscape",
    "2:3": "portrait",
    "21:9": "ultra-wide",
    "9:21": "ultra-tall",
}
# A model typed by hand while the list is unavailable: every value OpenRouter knows.
ANY_RESOLUTION = ("480p", "720p", "768p", "1080p", "1K", "2K", "4K")
ANY_DURATION = (4, 5, 6, 8, 10, 12)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """A model's options as (value, label) choices; an empty list: not offered."""

    duration: Choices
    resolution: Choices
    aspect_ratio: Choices
    generate_audio: bool
    seed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "duration": self.duration,
            "resolution": self.resolution,
            "aspect_ratio": self.aspect_ratio,
            "generate_audio": self.generate_audio,
            "seed": self.seed,
        }


UNKNOWN = Capabilities(
    duration=[(str(s), f"{s} seconds") for s in ANY_DURATION],
    resolution=[(r, r) for r in ANY_RESOLUTION],
    aspect_ratio=[(r, f"{r} · {shape}") for r, shape in SHAPES.items()],
    generate_audio=True,
    seed=True,
)


@dataclass(frozen=True, slots=True)
class VideoModels:
    picker: ModelPicker
    capabilities: dict[str, Capabilities] = field(default_factory=dict)

    def of(self, model_id: str | None) -> Capabilities:
        return self.capabilities.get(model_id or "", UNKNOWN)

    def as_json(self) -> dict[str, Any]:
        return {model: caps.as_json() for model, caps in self.capabilities.items()}

    def offer(self, form: VideoForm) -> Capabilities:
        """Choose the first model if none is chosen yet, and fill the selects from its
        capabilities; answer them."""
        if not form.model.data and self.picker.options:
            form.model.data = self.picker.options[0].id
        caps = self.of(form.model.data)
        for name in SELECTS:
            form.offer(name, getattr(caps, name))
        return caps


def load_video_models(*, first_frame: bool = False) -> VideoModels:
    """`first_frame`: only models that can start from an image (image-to-video)."""
    try:
        models = cast(list[VideoModelJson], call_api(lambda token: api().models(token, "video")))
    except ApiProblem as problem:
        return VideoModels(ModelPicker(note=generation_message(problem), example=EXAMPLE))
    except ApiUnavailableError:
        return VideoModels(ModelPicker(note=SERVICE_DOWN, example=EXAMPLE))
    chosen = [m for m in models if m.get("id") and (not first_frame or _animates(m))]
    options = [ModelOption(str(m["id"]), video_label(m)) for m in chosen]
    caps = {str(m["id"]): capabilities(m) for m in chosen}
    note = "" if options else "no video model here can start from an image"
    picker = ModelPicker(options=options, note=note if first_frame else "", example=EXAMPLE)
    return VideoModels(picker, caps)


def _animates(model: VideoModelJson) -> bool:
    return FIRST_FRAME in (model.get("frame_images") or [])


def capabilities(model: VideoModelJson) -> Capabilities:
    durations = sorted(model.get("durations") or [])
    return Capabilities(
        duration=[(str(s), f"{s} second{'s' if s != 1 else ''}") for s in durations],
        resolution=[(r, r) for r in model.get("resolutions") or []],
        aspect_ratio=[(r, _ratio_label(r)) for r in model.get("aspect_ratios") or []],
        generate_audio=model.get("generate_audio") is True,
        seed=model.get("seed") is True,
    )


def _ratio_label(ratio: str) -> str:
    shape = SHAPES.get(ratio)
    return f"{ratio} · {shape}" if shape else ratio


def video_label(model: VideoModelJson) -> str:
    """`Google: Veo 3.1 Lite · from $0.5 per second` (video is priced by the second)."""
    name = str(model.get("name") or model.get("id"))
    prices = []
    for value in (model.get("pricing") or {}).values():
        try:
            prices.append(float(value))
        except (TypeError, ValueError):
            continue
    if not prices:
        return name
    lowest = min(prices)
    return f"{name} · {'from ' if len(set(prices)) > 1 else ''}{cost(lowest)} per second"
