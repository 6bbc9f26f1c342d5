"""PillowImageInspector: an image's real type and size, read from its bytes."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from application.errors import InvalidImageError
from application.ports.generation import ImageFacts, ImageInspector

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class PillowImageInspector(ImageInspector):
    """security.md #37: the type comes from the bytes; the pixel count is checked from the
    header before anything is decoded, with decompression-bomb warnings made errors."""

    def __init__(self, max_pixels: int = 40_000_000) -> None:
        self._max_pixels = max_pixels

    def inspect(self, data: bytes) -> ImageFacts:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(io.BytesIO(data)) as image:
                    kind = FORMATS.get(image.format or "")
                    width, height = image.size
            except (
                UnidentifiedImageError,
                OSError,
                ValueError,
                Image.DecompressionBombError,
                Image.DecompressionBombWarning,
            ) as exc:
                raise InvalidImageError() from exc
        if kind is None:
            raise InvalidImageError()
        if width * height > self._max_pixels:
            raise InvalidImageError(f"The image is larger than {self._max_pixels:,} pixels.")
        return ImageFacts(content_type=kind, width=width, height=height)
