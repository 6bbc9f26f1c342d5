"""Media files streamed from disk in 64 KiB chunks, with byte ranges so a video can seek."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable
from starlette.types import Receive, Scope, Send

RangeAnswer = Literal["whole", "part", "unsatisfiable"]


def range_answer(header: str | None, size: int) -> RangeAnswer:
    """What a `Range` header asks of a file of `size` bytes (RFC 9110 §14.2): a malformed
    one, or one in another unit, is ignored and the whole file is sent."""
    if header is None:
        return "whole"
    try:
        FileResponse._parse_range_header(header, size)
    except MalformedRangeHeader:
        return "whole"
    except RangeNotSatisfiable:
        return "unsatisfiable"
    return "part"


class MediaFileResponse(FileResponse):
    """Starlette's FileResponse (chunked reads, `Accept-Ranges: bytes`, 206 with
    `Content-Range`, several ranges as multipart/byteranges, If-Range), given the file's
    stat up front. With `whole`, the request's Range header is set aside."""

    def __init__(
        self,
        path: str,
        stat_result: os.stat_result,
        media_type: str,
        headers: Mapping[str, str],
        *,
        whole: bool,
    ) -> None:
        super().__init__(path, headers=headers, media_type=media_type, stat_result=stat_result)
        self._whole = whole

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._whole:
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"range"]}
        await super().__call__(scope, receive, send)
