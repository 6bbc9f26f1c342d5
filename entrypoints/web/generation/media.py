"""The media proxy: the browser cannot send the bearer token, so its images come through here."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Blueprint, Response, abort, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("media", __name__)

MEDIA_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
API_MEDIA_PATH = re.compile(r"^/media/([A-Za-z0-9_-]{1,128})$")
# What the API stores (api-contract.md); anything else is served as an opaque download.
CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "video/mp4", "video/webm"})
CACHE_CONTROL = "private, max-age=3600"  # the bytes never change; only this user may see them


@bp.get("/media/<media_id>")
@login_required
def file(media_id: str) -> ResponseReturnValue:
    if not MEDIA_ID.fullmatch(media_id):
        abort(404)
    try:
        stream = call_api(lambda token: api().media(token, media_id))
    except ApiProblem as problem:
        abort(404 if problem.status in (403, 404) else 502)
    content_type = stream.content_type.split(";")[0].strip().lower()
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
    }
    if stream.content_length is not None:
        headers["Content-Length"] = stream.content_length

    def chunks() -> Iterator[bytes]:
        with stream:
            yield from stream

    mimetype = content_type if content_type in CONTENT_TYPES else "application/octet-stream"
    return Response(chunks(), mimetype=mimetype, headers=headers, direct_passthrough=True)


def proxied(api_url: str | None) -> str | None:
    """The web path of an API media URL (`/media/<id>`), or None for anything else."""
    match = API_MEDIA_PATH.fullmatch(api_url or "")
    return url_for("media.file", media_id=match.group(1)) if match else None
