"""Video options, what a model offers, and the check of the one against the other."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidVideoOptionsError


@dataclass(frozen=True, slots=True)
class VideoOptions:
    duration: int | None = None
    resolution: str | None = None
    aspect_ratio: str | None = None
    generate_audio: bool | None = None
    seed: int | None = None

    def as_dict(self) -> dict[str, object]:
        values = {
            "duration": self.duration,
            "resolution": self.resolution,
            "aspect_ratio": self.aspect_ratio,
            "generate_audio": self.generate_audio,
            "seed": self.seed,
        }
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class VideoCapabilities:
    """What `GET /videos/models` advertises. An empty list means the option is not offered
    (OpenRouter sends null); a flag is refused only when it is explicitly false."""

    durations: tuple[int, ...] = ()
    resolutions: tuple[str, ...] = ()
    aspect_ratios: tuple[str, ...] = ()
    frame_images: tuple[str, ...] = ()
    generate_audio: bool | None = None
    seed: bool | None = None


def _allowed(model: str, what: str, value: object, allowed: tuple[object, ...]) -> None:
    if value is None or value in allowed:
        return
    if not allowed:
        raise InvalidVideoOptionsError(f"{model} does not take a {what}; leave it out.")
    listed = ", ".join(str(item) for item in allowed)
    raise InvalidVideoOptionsError(
        f"{what.capitalize()} {value} is not offered by {model}; choose one of: {listed}."
    )


def check_options(
    model: str, options: VideoOptions, caps: VideoCapabilities, *, frames: tuple[str, ...] = ()
) -> None:
    """api-contract.md: options outside the model's sets are refused before anything is
    sent (OpenRouter would answer 400), with a message that names the allowed values."""
    _allowed(model, "duration", options.duration, tuple(sorted(caps.durations)))
    _allowed(model, "resolution", options.resolution, caps.resolutions)
    _allowed(model, "aspect ratio", options.aspect_ratio, caps.aspect_ratios)
    for frame in frames:
        _allowed(model, "frame image", frame, caps.frame_images)
    if options.generate_audio and caps.generate_audio is False:
        raise InvalidVideoOptionsError(f"{model} does not generate audio; leave it out.")
    if options.seed is not None and caps.seed is False:
        raise InvalidVideoOptionsError(f"{model} does not take a seed; leave it out.")
