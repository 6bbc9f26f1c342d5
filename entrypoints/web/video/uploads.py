"""The one upload of the web UI (image-to-video): its body cap, and the file as sent on.

Every other form keeps the app's 1 MiB MAX_CONTENT_LENGTH. The upload route allows the
API's image cap (ALLUCANGET_UPLOAD_MAX_BYTES, the same setting the API reads) plus room for
the multipart framing and the text fields; a file between the two caps reaches the API,
which answers 413 `payload_too_large` with the form and its prompt kept.
"""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from entrypoints.web.video.types import Upload

UPLOAD_MAX_BYTES = "ALLUCANGET_UPLOAD_MAX_BYTES"  # app.config key, set by create_app
# Boundaries, part headers and the text fields; a prompt is at most 32,000 characters.
MULTIPART_OVERHEAD = 1024 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


def image_cap() -> int:
    return int(current_app.config[UPLOAD_MAX_BYTES])


def allow_upload_body() -> None:
    """Raise this request's body cap. Call it from a url_value_preprocessor: those run
    before any before_request function, so before CSRFProtect reads the form (and the body)."""
    request.max_content_length = image_cap() + MULTIPART_OVERHEAD


def cap_text() -> str:
    """`10 MiB`, or `512 KiB` for a cap under a mebibyte."""
    cap = image_cap()
    return f"{cap / 1048576:.3g} MiB" if cap >= 1048576 else f"{cap / 1024:.3g} KiB"


def as_upload(file: FileStorage) -> Upload:
    """The file as httpx sends it: read from Werkzeug's spooled file while the request goes
    out, never copied into memory here. The API reads the type from the bytes, not from
    the name or the browser's content type."""
    name = secure_filename(file.filename or "") or "image"
    file.stream.seek(0)
    return name, file.stream, file.mimetype or "application/octet-stream"
