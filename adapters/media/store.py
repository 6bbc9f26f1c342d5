"""FileMediaStore: media files under the data directory, written atomically, kept private."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path

from adapters.private import PRIVATE_FILE, private_dir
from application.errors import NotFoundError, StorageUnavailableError
from application.ports.generation import MediaStore, StoredMedia
from domain.media import IMAGE_TYPES, VIDEO_TYPES, MediaRef

SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
EXTENSIONS = {**IMAGE_TYPES, **VIDEO_TYPES}
INCOMING = "incoming"  # temporary downloads; never a two-character id prefix


class FileMediaStore(MediaStore):
    """Files are named by server-generated ids only (OWASP File Upload CS) and appear whole
    or not at all: written to a temporary name, flushed, then renamed. Folders are 0700 and
    files 0600 (SECURITY.md)."""

    def __init__(self, root: Path) -> None:
        self._root = root

    @property
    def incoming(self) -> Path:
        """Where downloads are spooled: on the store's file system, so adopting is a rename."""
        return self._root / INCOMING

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

    async def adopt(self, ref: MediaRef, source: str) -> None:
        try:
            await asyncio.to_thread(self._move, Path(source), self.path_of(ref))
        except OSError as exc:
            raise StorageUnavailableError() from exc
        finally:
            await self.discard(source)

    async def discard(self, source: str) -> None:
        await asyncio.to_thread(self._remove, [Path(source)])

    async def open(self, ref: MediaRef) -> StoredMedia:
        path = self.path_of(ref)
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise NotFoundError() from exc
        return StoredMedia(str(path), size)

    async def delete(self, refs: list[MediaRef]) -> None:
        await asyncio.to_thread(self._remove, [self.path_of(ref) for ref in refs])

    def _folder(self, path: Path) -> None:
        private_dir(self._root)
        private_dir(path.parent)

    def _write(self, path: Path, data: bytes) -> None:
        self._folder(path)
        temporary = path.with_suffix(path.suffix + ".part")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(path)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise

    def _move(self, source: Path, path: Path) -> None:
        self._folder(path)
        source.chmod(PRIVATE_FILE)
        with source.open("rb") as handle:
            os.fsync(handle.fileno())
        source.replace(path)  # atomic: the spool folder is on the same file system

    @staticmethod
    def _remove(paths: list[Path]) -> None:
        for path in paths:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # nothing to remove
                path.unlink()
