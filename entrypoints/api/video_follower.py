"""VideoFollower: the API process's background task that drives video jobs to their end."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from application.generation.advance_video_jobs import AdvanceVideoJobs

log = logging.getLogger("allucanget.video")
STOP_GRACE_S = 2.0


class VideoFollower:
    """Runs one AdvanceVideoJobs pass every `interval_s` seconds, for as long as the app
    lives. Jobs are in the database, so after a restart the first pass picks up every
    unfinished one. A failing pass is logged and the next one runs anyway; on shutdown the
    current pass gets a short grace and is then cancelled (its job stays as it was, due)."""

    def __init__(self, advance: Callable[[], AdvanceVideoJobs], interval_s: float) -> None:
        self._advance = advance
        self._interval_s = interval_s
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.passes = 0

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="video-follower")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_GRACE_S)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:  # the jobs this process held go to the others (or to its successor) at once
            await asyncio.wait_for(self._advance().release_leases(), STOP_GRACE_S)
        except Exception:
            log.warning("video job leases not released; they lapse by themselves")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            await self._pass()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval_s)

    async def _pass(self) -> None:
        try:
            looked_at = await self._advance().execute()
        except Exception:
            log.exception("video follower pass failed; trying again next time")
            return
        self.passes += 1
        if looked_at:
            log.debug("video follower advanced %d job(s)", looked_at)
