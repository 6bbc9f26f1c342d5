"""A large download streamed to a private temporary file, never held in memory whole."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import tempfile
from pathlib import Path

import httpx

from adapters.openrouter.errors import bad_response, transport_error
from adapters.openrouter.timing import upstream_wait
from application.errors import StorageUnavailableError
from application.ports.video import DownloadedVideo

log = logging.getLogger("allucanget.openrouter")
WRITE_BYTES = 1024 * 1024  # buffered, then written by a worker thread
HEAD_BYTES = 64


async def spool_body(response: httpx.Response, limit: int, folder: Path) -> DownloadedVideo:
    """The body in a new 0600 file under `folder`, refused past `limit` bytes. Memory stays
    at about WRITE_BYTES whatever the size; the response is always closed, and no file is
    left behind on any failure (or cancellation)."""
    try:
        fd, name = await asyncio.to_thread(_create, folder)
    except OSError as exc:
        await response.aclose()
        raise StorageUnavailableError() from exc
    size, head, pending = 0, b"", bytearray()
    try:
        with os.fdopen(fd, "wb") as handle:
            with upstream_wait():
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise bad_response("The video is larger than this server accepts.")
                    if len(head) < HEAD_BYTES:
                        head = (head + chunk)[:HEAD_BYTES]
                    pending += chunk
                    if len(pending) >= WRITE_BYTES:
                        await asyncio.to_thread(handle.write, pending)
                        pending.clear()
            await asyncio.to_thread(_finish, handle, pending)
    except BaseException as exc:
        await asyncio.shield(asyncio.to_thread(_unlink, name))
        if isinstance(exc, httpx.HTTPError):
            log.warning("openrouter body read failed: %s", type(exc).__name__)
            raise transport_error(exc, answering=True) from exc
        if isinstance(exc, OSError):  # disk full and the like
            raise StorageUnavailableError() from exc
        raise
    finally:
        await response.aclose()
    return DownloadedVideo(name, size, head)


def _create(folder: Path) -> tuple[int, str]:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix="video-", suffix=".part", dir=folder)  # mode 0600


def _finish(handle: io.BufferedWriter, pending: bytearray) -> None:
    handle.write(pending)
    handle.flush()


def _unlink(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
