"""The data directory is private (security.md #47): folders 0700, files 0600, WAL included."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.duckdb.database import open_database
from adapters.media.store import FileMediaStore
from domain.media import MediaRef


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The usual 022: without care, files would be world-readable (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def a_ref(media_id: str) -> MediaRef:
    return MediaRef(media_id, "u1", "g1", "video/mp4", 4, None, None, datetime.now(UTC))


@pytest.mark.usefixtures("lax_umask")
async def test_the_database_its_wal_and_the_data_directory_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = open_database(data / "allucanget.duckdb", 2)
    try:
        await database.read("CREATE TABLE written_later (i INTEGER)")  # the WAL is written to
        wal = data / "allucanget.duckdb.wal"
        assert wal.exists()
        assert (mode(data), mode(data / "allucanget.duckdb"), mode(wal)) == (0o700, 0o600, 0o600)
    finally:
        database.close()


@pytest.mark.usefixtures("lax_umask")
def test_an_existing_lax_data_directory_is_tightened_when_opened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_database(data / "allucanget.duckdb", 1).close()
    data.chmod(0o755)
    (data / "allucanget.duckdb").chmod(0o644)
    open_database(data / "allucanget.duckdb", 1).close()
    assert (mode(data), mode(data / "allucanget.duckdb")) == (0o700, 0o600)


@pytest.mark.usefixtures("lax_umask")
async def test_media_folders_and_files_are_private(tmp_path: Path) -> None:
    store = FileMediaStore(tmp_path / "media")
    await store.save(a_ref("0123456789abcdef"), b"data")
    incoming = store.incoming
    incoming.mkdir()
    spooled = incoming / "video-1.part"
    spooled.write_bytes(b"\x00\x00\x00\x18ftypisom")
    spooled.chmod(0o644)
    await store.adopt(a_ref("fedcba9876543210"), str(spooled))
    assert not spooled.exists()
    saved = Path((await store.open(a_ref("0123456789abcdef"))).path)
    adopted = Path((await store.open(a_ref("fedcba9876543210"))).path)
    assert adopted.read_bytes().startswith(b"\x00\x00\x00\x18ftyp")
    folders = [tmp_path / "media", saved.parent, adopted.parent]
    assert [mode(path) for path in folders] == [0o700] * 3
    assert [mode(saved), mode(adopted)] == [0o600, 0o600]
