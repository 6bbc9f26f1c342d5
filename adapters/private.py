"""The data directory is private to the account that runs the API (SECURITY.md)."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def restrict_umask() -> None:
    """Files the process creates later without naming a mode, such as DuckDB's WAL, are
    readable by their owner only: group and other bits are added to the umask."""
    os.umask(os.umask(0o077) | 0o077)


def private_dir(path: Path) -> Path:
    """`path` (and missing parents) created 0700; an existing one is tightened to 0700."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR:
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """An existing file (from an older version, say) tightened to 0600."""
    if path.exists() and path.stat().st_mode & 0o777 != PRIVATE_FILE:
        path.chmod(PRIVATE_FILE)
