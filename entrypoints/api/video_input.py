"""Reading the image-to-video request: multipart (file or URL) or JSON (URL), bounded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from application.errors import PayloadTooLargeError, UnsupportedMediaTypeError
from entrypoints.api.schemas.video import VideoFromImageIn

# Multipart overhead allowed on top of the file cap at the edge: boundaries, part headers
# and the text fields (each at most 64 KiB, prompts included).
MULTIPART_OVERHEAD = 256 * 1024
MAX_FIELDS = 12  # security.md #36: Starlette would allow 1000 parts and fields
MAX_FIELD_BYTES = 64 * 1024
IMAGE_FIELD = "image"


@dataclass(frozen=True, slots=True)
class FromImageInput:
    body: VideoFromImageIn
    image: bytes | None


async def read_from_image(request: Request, max_image_bytes: int) -> FromImageInput:
    """The body is parsed here, not by FastAPI, so that the part counts are bounded and the
    file is read at most one byte past its cap (the edge caps the whole body while it
    streams in: security.md #36). Any other content type is a 415."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/json":
        raw = await request.body()
        return FromImageInput(_validated(lambda: VideoFromImageIn.model_validate_json(raw)), None)
    if kind == "multipart/form-data":
        return await _multipart(request, max_image_bytes)
    raise UnsupportedMediaTypeError()


async def _multipart(request: Request, max_image_bytes: int) -> FromImageInput:
    form = await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    try:
        fields: dict[str, str] = {}
        image: bytes | None = None
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if name != IMAGE_FIELD:
                    raise _invalid(name, "Only one file, named `image`, is accepted.")
                image = await _read_capped(value, max_image_bytes)
            elif name in fields:
                raise _invalid(name, "Send each field once.")
            elif value != "":  # an empty form field means "not given"
                fields[name] = value
        return FromImageInput(_validated(lambda: VideoFromImageIn.model_validate(fields)), image)
    finally:
        await form.close()


async def _read_capped(upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(f"The image is larger than {limit / 1048576:g} MiB.")
    return data


def _validated(parse: Callable[[], VideoFromImageIn]) -> VideoFromImageIn:
    try:
        return parse()
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def _invalid(name: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", name), "msg": message}])
