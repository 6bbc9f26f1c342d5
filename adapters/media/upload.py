"""PillowImageSanitizer: an uploaded image checked from its bytes and re-encoded clean."""

from __future__ import annotations

import asyncio
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from application.errors import InvalidImageError
from application.video_ports import CleanImage, ImageSanitizer

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
DEFAULT_MAX_PIXELS = 40_000_000  # api-contract.md: 40 megapixels
_KEPT_INFO = ("transparency",)  # needed to re-encode palette images; no metadata
_BROKEN = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
           Image.DecompressionBombError, Image.DecompressionBombWarning)  # fmt: skip


def format_from_magic(data: bytes) -> str | None:
    """The format the first bytes claim; Pillow must then agree (security.md #37)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


class PillowImageSanitizer(ImageSanitizer):
    """security.md #37 and OWASP File Upload CS: magic bytes, then Pillow limited to that
    one format; the pixel count is read from the header and checked before anything is
    decoded, with Pillow's decompression-bomb warning made an error; truncated files are
    refused; the pixels are re-encoded (after applying the EXIF orientation) with no
    EXIF, XMP, ICC or text chunks. Runs in a worker thread: decoding is CPU work."""

    def __init__(self, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self._max_pixels = max_pixels

    async def sanitize(self, data: bytes) -> CleanImage:
        return await asyncio.to_thread(self.sanitize_now, data)

    def sanitize_now(self, data: bytes) -> CleanImage:
        claimed = format_from_magic(data)
        if claimed is None:
            raise InvalidImageError("Only PNG, JPEG and WebP images are accepted.")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                return self._reencoded(data, claimed)
            except _BROKEN as exc:
                raise InvalidImageError(
                    "The file is not a complete PNG, JPEG or WebP image, or is too large."
                ) from exc

    def _reencoded(self, data: bytes, claimed: str) -> CleanImage:
        with Image.open(io.BytesIO(data), formats=[claimed]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > self._max_pixels:
                raise InvalidImageError(f"The image has more than {self._max_pixels:,} pixels.")
            image.load()  # decodes; a truncated file raises OSError here
            upright = ImageOps.exif_transpose(image)
            upright.info = {k: v for k, v in upright.info.items() if k in _KEPT_INFO}
            buffer = io.BytesIO()
            upright.save(buffer, format=claimed, **_save_options(claimed))
        return CleanImage(buffer.getvalue(), CONTENT_TYPES[claimed], *upright.size)


def _save_options(claimed: str) -> dict[str, object]:
    if claimed == "JPEG":
        return {"quality": 92}
    if claimed == "WEBP":
        return {"quality": 92}
    return {}
