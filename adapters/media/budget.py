"""PixelBudget: how many decoded pixels may be held in memory at once, across requests."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque


class PixelBudget:
    """A counting semaphore over pixels, granted first come first served: a decode waits
    until the pixels already in flight plus its own fit in `total`. Decoded RGBA costs 4
    bytes a pixel, so the budget bounds the memory all decodes together can take."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0
        self._waiting: deque[tuple[int, asyncio.Future[None]]] = deque()

    async def acquire(self, pixels: int) -> None:
        """Wait for `pixels` (at most `total`: the caller refuses bigger images first)."""
        if pixels > self.total:
            raise ValueError("more pixels than the whole budget")
        if not self._waiting and self.used + pixels <= self.total:
            self.used += pixels
            return
        granted = asyncio.get_running_loop().create_future()
        self._waiting.append((pixels, granted))
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self.release(pixels)  # granted just as the caller gave up: hand it on
            else:
                with contextlib.suppress(ValueError):  # _grant() may have dropped it already
                    self._waiting.remove((pixels, granted))
                self._grant()
            raise

    def release(self, pixels: int) -> None:
        self.used -= pixels
        self._grant()

    def _grant(self) -> None:
        while self._waiting:
            pixels, granted = self._waiting[0]
            if granted.done():
                self._waiting.popleft()
                continue
            if self.used + pixels > self.total:
                return
            self._waiting.popleft()
            self.used += pixels
            granted.set_result(None)
