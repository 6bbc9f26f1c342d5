"""The media proxy: the browser cannot send the bearer token, so its images and videos come
through here; byte ranges pass through both ways, so a video can seek."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Blueprint, Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.lookup import check_id
from entrypoints.web.session import api, call_api, login_required

bp = Blueprint("media", __name__)

API_MEDIA_PATH = re.compile(r"^/media/([A-Za-z0-9_-]{1,128})$")
# What the API stores (api-contract.md); anything else is served as an opaque download.
CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "video/mp4", "video/webm"})
CACHE_CONTROL = "private, max-age=3600"  # the bytes never change; only this user may see them
RELAYED = ("Accept-Ranges", "Content-Range")
UNSATISFIABLE = 416


@bp.get("/media/<media_id>")
@login_required
def file(media_id: str) -> ResponseReturnValue:
    check_id(media_id)
    ranged = _range_headers()
    try:
        stream = call_api(lambda token: api().media(token, media_id, ranged))
    except ApiProblem as problem:
        abort(404 if problem.status in (403, 404) else 502)
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
    }
    headers.update({name: v for name in RELAYED if (v := stream.header(name)) is not None})
    if stream.status_code == UNSATISFIABLE:  # past the end: Content-Range says the size
        stream.close()
        return Response(status=UNSATISFIABLE, headers=headers)
    if stream.content_length is not None:
        headers["Content-Length"] = stream.content_length

    def chunks() -> Iterator[bytes]:
        with stream:
            yield from stream

    content_type = stream.content_type.split(";")[0].strip().lower()
    mimetype = content_type if content_type in CONTENT_TYPES else "application/octet-stream"
    return Response(
        chunks(),
        status=stream.status_code,  # 200, or 206 with the part Content-Range names
        mimetype=mimetype,
        headers=headers,
        direct_passthrough=True,
    )


def _range_headers() -> dict[str, str]:
    """Range and If-Range, so that a video can seek. Only one range: several would come back
    as multipart/byteranges, which this proxy does not serve; without Range, the whole file."""
    wanted = request.headers.get("Range")
    if wanted is None or "," in wanted:
        return {}
    condition = request.headers.get("If-Range")
    return {"Range": wanted, **({"If-Range": condition} if condition is not None else {})}


def proxied(api_url: str | None) -> str | None:
    """The web path of an API media URL (`/media/<id>`), or None for anything else."""
    match = API_MEDIA_PATH.fullmatch(api_url or "")
    return url_for("media.file", media_id=match.group(1)) if match else None
