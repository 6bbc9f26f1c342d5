"""Freed memory handed back to the system after a large decode (glibc's malloc_trim)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to hand back
        return None


def give_back_free_memory() -> None:
    """Return the free pages of every malloc arena to the system; a no-op without glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
