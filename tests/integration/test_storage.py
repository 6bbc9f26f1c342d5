"""Storage on real folders: atomic media files, a clear 503 when disk or database is full."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.media.store import FileMediaStore
from application.errors import NotFoundError, StorageUnavailableError
from domain.media import MediaRef


def a_ref(media_id: str = "0123456789abcdef") -> MediaRef:
    return MediaRef(media_id, "u1", "g1", "image/png", 4, 1, 1, datetime.now(UTC))


async def test_a_saved_file_reads_back_and_deletes(tmp_path: Path) -> None:
    store = FileMediaStore(tmp_path)
    await store.save(a_ref(), b"\x89PNG")
    stored = await store.open(a_ref())
    assert Path(stored.path).read_bytes() == b"\x89PNG" and stored.size == 4
    assert [p.name for p in tmp_path.rglob("*")] == ["01", "0123456789abcdef.png"]
    await store.delete([a_ref()])
    with pytest.raises(NotFoundError):
        await store.open(a_ref())


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
async def test_ids_that_could_escape_the_folder_are_refused(tmp_path: Path, absolute: bool) -> None:
    """The file each id would point at exists outside the store's folder: it is neither read,
    overwritten by a save, nor deleted (without the id check, all three would reach it)."""
    root = tmp_path / "data" / "media"
    victim = tmp_path / "victim.png"  # where root / id[:2] / f"{id}.png" lands for both ids
    victim.write_bytes(b"not yours")
    media_id = str(tmp_path / "victim") if absolute else "../victim"
    store = FileMediaStore(root)
    with pytest.raises(NotFoundError):
        await store.open(a_ref(media_id))
    with pytest.raises(NotFoundError):
        await store.save(a_ref(media_id), b"overwritten")
    with pytest.raises(NotFoundError):
        await store.delete([a_ref(media_id)])
    assert victim.read_bytes() == b"not yours"
    assert not root.exists() or list(root.rglob("*")) == []


async def test_an_unwritable_folder_is_storage_unavailable(tmp_path: Path) -> None:
    blocked = tmp_path / "media"
    blocked.write_text("a file where the media folder should be")  # fails even for root
    with pytest.raises(StorageUnavailableError):
        await FileMediaStore(blocked).save(a_ref(), b"data")
    assert blocked.read_text().startswith("a file")


async def test_a_full_disk_is_storage_unavailable_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageUnavailableError):
        await FileMediaStore(tmp_path).save(a_ref(), b"data")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_database_that_cannot_write_is_storage_unavailable_not_a_crash() -> None:
    import duckdb

    from adapters.duckdb.database import _fetch

    class FullDisk:
        def execute(self, sql: str, params: list[object]) -> None:
            raise duckdb.IOException("Could not write file: No space left on device")

    with pytest.raises(StorageUnavailableError):
        _fetch(FullDisk(), "INSERT INTO users VALUES (?)", [1])  # type: ignore[arg-type]
