"""FileMediaStore: media bytes as files under the data directory, written atomically."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path

from application.errors import NotFoundError, StorageUnavailableError
from application.ports import MediaStore
from domain.media import IMAGE_TYPES, VIDEO_TYPES, MediaRef

SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
EXTENSIONS = {**IMAGE_TYPES, **VIDEO_TYPES}


class FileMediaStore(MediaStore):
    """Files are named by server-generated ids only (OWASP File Upload CS) and appear whole
    or not at all: written to a temporary name, flushed, then renamed."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def path_of(self, ref: MediaRef) -> Path:
        if not SAFE_ID.match(ref.id):
            raise NotFoundError()
        extension = EXTENSIONS.get(ref.content_type, "bin")
        return self._root / ref.id[:2] / f"{ref.id}.{extension}"

    async def save(self, ref: MediaRef, data: bytes) -> None:
        try:
            await asyncio.to_thread(self._write, self.path_of(ref), data)
        except OSError as exc:  # disk full, read-only mount, permissions: no partial file stays
            raise StorageUnavailableError() from exc

    async def read(self, ref: MediaRef) -> bytes:
        try:
            return await asyncio.to_thread(self.path_of(ref).read_bytes)
        except FileNotFoundError as exc:
            raise NotFoundError() from exc

    async def delete(self, refs: list[MediaRef]) -> None:
        await asyncio.to_thread(self._remove, [self.path_of(ref) for ref in refs])

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".part")
        try:
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(path)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise

    @staticmethod
    def _remove(paths: list[Path]) -> None:
        for path in paths:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # nothing to remove
                path.unlink()
