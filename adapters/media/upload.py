"""PillowImageSanitizer: an uploaded image checked from its bytes and re-encoded clean."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from PIL import Image, ImageOps, UnidentifiedImageError

from adapters.media.budget import PixelBudget
from adapters.media.heap import give_back_free_memory
from application.errors import InvalidImageError
from application.ports.video import CleanImage, ImageSanitizer

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
DEFAULT_MAX_PIXELS = 40_000_000  # api-contract.md: 40 megapixels
_KEPT_INFO = ("transparency",)  # needed to re-encode palette images; no metadata
_BROKEN = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


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
    refused; the pixels are re-encoded (after applying the EXIF orientation in place) with
    no EXIF, XMP, ICC or text chunks.

    Decoding is CPU and memory work, so it runs in a pool of `threads` worker threads, and
    an image is decoded only once its pixels fit in the shared `budget_pixels` (each costs
    4 bytes decoded): however many uploads arrive together, the decoded pixels held at once
    stay within the budget; the others wait their turn."""

    def __init__(
        self,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        *,
        threads: int = 2,
        budget_pixels: int | None = None,
    ) -> None:
        self._max_pixels = min(max_pixels, budget_pixels or max_pixels)
        self._budget = PixelBudget(budget_pixels or max_pixels)
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="image-decode")

    async def sanitize(self, data: bytes) -> CleanImage:
        loop = asyncio.get_running_loop()
        pixels = await loop.run_in_executor(self._pool, self.pixels_of, data)
        await self._budget.acquire(pixels)
        try:
            decoding = loop.run_in_executor(self._pool, self.sanitize_now, data)
        except BaseException:
            self._budget.release(pixels)
            raise
        # the pixels are given back when the thread is done, even if the caller is gone
        decoding.add_done_callback(lambda _: self._budget.release(pixels))
        return await asyncio.shield(decoding)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def pixels_of(self, data: bytes) -> int:
        """The pixel count, from the header alone (nothing is decoded)."""
        with _bad_images_refused():
            claimed = _claimed(data)
            with Image.open(io.BytesIO(data), formats=[claimed]) as image:
                return self._checked_pixels(*image.size)

    def sanitize_now(self, data: bytes) -> CleanImage:
        try:
            with _bad_images_refused():
                return self._reencoded(data, _claimed(data))
        finally:
            # Before the pixels go back to the budget: the freed pixels are handed back to the
            # system, or the next decode, on another thread and so another malloc arena,
            # would add its pixels to memory this one still holds (peak RSS two decodes).
            give_back_free_memory()

    def _checked_pixels(self, width: int, height: int) -> int:
        if width < 1 or height < 1 or width * height > self._max_pixels:
            raise InvalidImageError(f"The image has more than {self._max_pixels:,} pixels.")
        return width * height

    def _reencoded(self, data: bytes, claimed: str) -> CleanImage:
        with Image.open(io.BytesIO(data), formats=[claimed]) as image:
            self._checked_pixels(*image.size)
            image.load()  # decodes; a truncated file raises OSError here
            ImageOps.exif_transpose(image, in_place=True)  # no second copy of the pixels
            image.info = {k: v for k, v in image.info.items() if k in _KEPT_INFO}
            buffer = io.BytesIO()
            image.save(buffer, format=claimed, **_save_options(claimed))
            size = image.size
        return CleanImage(buffer.getvalue(), CONTENT_TYPES[claimed], *size)


def _claimed(data: bytes) -> str:
    claimed = format_from_magic(data)
    if claimed is None:
        raise InvalidImageError("Only PNG, JPEG and WebP images are accepted.")
    return claimed


@contextmanager
def _bad_images_refused() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except _BROKEN as exc:
            raise InvalidImageError(
                "The file is not a complete PNG, JPEG or WebP image, or is too large."
            ) from exc


def _save_options(claimed: str) -> dict[str, object]:
    if claimed == "JPEG":
        return {"quality": 92}
    if claimed == "WEBP":
        return {"quality": 92}
    return {}
