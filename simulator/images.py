"""Image output: sizes from aspect ratio and resolution, chat `message.images`, input checks."""

from __future__ import annotations

import base64
import re
from typing import Any

from simulator.bodies import Body, error_body
from simulator.png import png_bytes

# Gemini's documented pixel sizes at 1K (openrouter.md section 3a, image_config.aspect_ratio).
ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (864, 1184),
    "4:3": (1184, 864),
    "4:5": (896, 1152),
    "5:4": (1152, 896),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
    "21:9": (1536, 672),
}
RESOLUTION_FACTORS: dict[str, float] = {"512": 0.5, "0.5K": 0.5, "1K": 1, "2K": 2, "4K": 4}
IMAGE_TOKENS = 1290  # image_tokens per generated image in the Gemini recordings
BAD_IMAGE_MARK = "sim-bad-image"
_PIXEL_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")


class ImageRequestError(ValueError):
    """A 400 from the image options or the image inputs of a request."""

    def __init__(self, message: str, error_type: str = "invalid_request") -> None:
        super().__init__(message)
        self.error_type = error_type

    def body(self, user_id: str) -> Body:
        return error_body(400, str(self), {"error_type": self.error_type}, user_id)


def nominal_size(aspect_ratio: str | None, resolution: str | None) -> tuple[int, int]:
    """The size OpenRouter would return, e.g. ("16:9", "2K") -> (2688, 1536)."""
    ratio, res = aspect_ratio or "1:1", resolution or "1K"
    if ratio not in ASPECT_SIZES:
        raise ImageRequestError(
            f"Unsupported aspect_ratio {ratio!r}; use one of {', '.join(ASPECT_SIZES)}"
        )
    if res not in RESOLUTION_FACTORS:
        raise ImageRequestError(
            f"Unsupported image size {res!r}; use one of {', '.join(RESOLUTION_FACTORS)}"
        )
    width, height = ASPECT_SIZES[ratio]
    factor = RESOLUTION_FACTORS[res]
    return int(width * factor), int(height * factor)


def pixel_size(size: str | None) -> tuple[int, int] | None:
    match = _PIXEL_SIZE.match(size or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def png_for(prompt: str, nominal: tuple[int, int], downscale: int, index: int = 0) -> bytes:
    """A real PNG whose sides are the nominal sides divided by `downscale` (at least 1 px)."""
    width, height = (max(1, round(side / max(downscale, 1))) for side in nominal)
    return png_bytes(width, height, f"{index}:{prompt}")


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def check_image_config(image_config: Any) -> tuple[int, int]:
    """The nominal size an `image_config` asks for; ImageRequestError when it is not valid."""
    config = image_config if isinstance(image_config, dict) else {}
    return nominal_size(config.get("aspect_ratio"), config.get("image_size"))


def chat_images(prompt: str, image_config: Any, downscale: int) -> list[dict[str, Any]]:
    """`choices[0].message.images` items, with the extra `index` real responses carry."""
    nominal = check_image_config(image_config)
    url = data_url(png_for(prompt, nominal, downscale))
    return [{"type": "image_url", "image_url": {"url": url}, "index": 0}]


def _image_urls(messages: list[Any]) -> list[str]:
    urls = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else ():
            if isinstance(part, dict) and part.get("type") == "image_url":
                image = part.get("image_url")
                urls.append(str(image.get("url", "")) if isinstance(image, dict) else "")
    return urls


def check_input_images(messages: list[Any], fail_downloads: bool = False) -> None:
    """Image input parts must be https or data URLs; a marked URL fails to download."""
    for url in _image_urls(messages):
        if BAD_IMAGE_MARK in url or fail_downloads:
            raise ImageRequestError("Failed to download image from URL", "image_download_failed")
        if not (url.startswith("https://") or url.startswith("data:image/")):
            raise ImageRequestError("Image URL must be an https URL or a data URL", "invalid_image")
