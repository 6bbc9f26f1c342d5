"""Video jobs: a video generation followed to its end, by a forward-only state
machine (queued → in_progress → completed | failed) that nothing can move backwards."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import VideoTransitionError
from domain.generations import Generation, GenerationKind, GenerationStatus, Usage
from domain.media import MediaRef
from domain.ownership import visible_to
from domain.video_options import VideoOptions

MAX_REASON_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class VideoStatus(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (VideoStatus.COMPLETED, VideoStatus.FAILED)

    @property
    def rank(self) -> int:
        return {"queued": 0, "in_progress": 1}.get(self.value, 2)


def may_move(current: VideoStatus, target: VideoStatus) -> bool:
    """The one transition rule: a finished job never changes, and nothing goes backwards."""
    return not current.finished and target.rank >= current.rank


def check_move(current: VideoStatus, target: VideoStatus) -> None:
    if not may_move(current, target):
        raise VideoTransitionError(f"A {current.value} video job cannot become {target.value}.")


@dataclass(frozen=True, slots=True)
class VideoTiming:
    """How often a job is polled (backing off to `max_poll`), when it is given up, and how
    long a submit may stay unconfirmed before the job counts as lost."""

    poll: timedelta = timedelta(seconds=5)
    max_poll: timedelta = timedelta(seconds=30)
    deadline: timedelta = timedelta(minutes=30)
    submit_grace: timedelta = timedelta(minutes=5)

    def next_poll(self, polls: int, failures: int) -> timedelta:
        factor = 2.0 ** min(failures, 16) if failures else 1.5 ** min(polls, 16)
        return min(self.max_poll, self.poll * factor)


def short_reason(text: str | None, fallback: str) -> str:
    """One line, no control characters, at most MAX_REASON_CHARS: fit for a person."""
    clean = " ".join(_CONTROL.sub(" ", text or "").split())
    if not clean:
        return fallback
    return clean if len(clean) <= MAX_REASON_CHARS else clean[: MAX_REASON_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class VideoJob:
    """A video generation followed to its end. Its public record is the generation with
    the same id (kind video), whose status is the job's status."""

    id: str
    user_id: str
    model: str
    prompt: str
    created_at: datetime
    updated_at: datetime
    next_poll_at: datetime | None  # None once finished: nothing is scheduled
    deadline: datetime
    options: VideoOptions = field(default_factory=VideoOptions)
    image_source: str | None = None  # "upload" or the image URL, for image-to-video
    status: VideoStatus = VideoStatus.QUEUED
    upstream_id: str | None = None
    polling_url: str | None = None
    polls: int = 0
    failures: int = 0  # consecutive failed polls
    download_failures: int = 0  # failed downloads of a video made upstream
    error: str | None = None
    error_code: str | None = None
    cost: float = 0.0
    video: MediaRef | None = None
    finished_at: datetime | None = None

    def visible_to(self, user_id: str, *, is_admin: bool) -> bool:
        return visible_to(self.user_id, user_id, is_admin=is_admin)

    def moved(self, status: VideoStatus, now: datetime, **changes: Any) -> VideoJob:
        """The only way the status changes; raises VideoTransitionError when not allowed."""
        check_move(self.status, status)
        if status.finished:
            changes["next_poll_at"] = None
        finished_at = now if status.finished else None
        return replace(self, status=status, updated_at=now, finished_at=finished_at, **changes)

    def submitted(
        self, upstream_id: str, polling_url: str | None, now: datetime, timing: VideoTiming
    ) -> VideoJob:
        if self.upstream_id is not None:
            raise VideoTransitionError("This video job was already submitted.")
        return self.moved(
            self.status,
            now,
            upstream_id=upstream_id,
            polling_url=polling_url,
            next_poll_at=now + timing.poll,
        )

    def observed(self, upstream: VideoStatus, now: datetime, timing: VideoTiming) -> VideoJob:
        """A successful poll: the job moves up to what upstream reports (a stale `pending`
        after `in_progress` changes nothing). It completes only with its video, and fails
        only with a reason, so here it goes no further than in_progress."""
        target = min(upstream, VideoStatus.IN_PROGRESS, key=lambda s: s.rank)
        status = target if target.rank > self.status.rank else self.status
        polls = self.polls + 1
        return self.moved(
            status, now, polls=polls, failures=0, next_poll_at=now + timing.next_poll(polls, 0)
        )

    def poll_failed(self, now: datetime, timing: VideoTiming) -> VideoJob:
        """A poll that may work later: the job stays as it is and is polled later, backing off."""
        failures = self.failures + 1
        return self.moved(
            self.status,
            now,
            failures=failures,
            polls=self.polls + 1,
            next_poll_at=now + timing.next_poll(self.polls, failures),
        )

    def download_failed(self, now: datetime, timing: VideoTiming) -> VideoJob:
        """Upstream has the video but we could not fetch it yet: in_progress, retried later."""
        failures = self.download_failures + 1
        return self.moved(
            VideoStatus.IN_PROGRESS,
            now,
            download_failures=failures,
            next_poll_at=now + timing.next_poll(self.polls, failures),
        )

    def completed(self, video: MediaRef, cost: float | None, now: datetime) -> VideoJob:
        return self.moved(
            VideoStatus.COMPLETED, now, video=video, cost=self.cost if cost is None else cost
        )

    def failed(self, reason: str, code: str, now: datetime) -> VideoJob:
        fallback = "The video could not be made."
        return self.moved(
            VideoStatus.FAILED, now, error=short_reason(reason, fallback), error_code=code
        )

    def record(self) -> Generation:
        """The job as a row of the history (status, cost, its video)."""
        options = self.options.as_dict()
        if self.image_source:
            options["image"] = self.image_source
        return Generation(
            id=self.id,
            user_id=self.user_id,
            kind=GenerationKind.VIDEO,
            model=self.model,
            prompt=self.prompt,
            status=GenerationStatus(self.status.value),
            created_at=self.created_at,
            finished_at=self.finished_at,
            usage=Usage(cost=self.cost),
            error_code=self.error_code,
            media=(self.video,) if self.video else (),
            upstream_id=self.upstream_id,
            options=json.dumps(options) if options else None,
        )


def new_job(
    *,
    job_id: str,
    user_id: str,
    model: str,
    prompt: str,
    options: VideoOptions,
    image_source: str | None,
    now: datetime,
    timing: VideoTiming,
) -> VideoJob:
    """A queued job, not yet submitted: it becomes due only if its submit is never
    confirmed (a crash in between), and then it is failed, never submitted again."""
    return VideoJob(
        id=job_id,
        user_id=user_id,
        model=model,
        prompt=prompt,
        options=options,
        image_source=image_source,
        created_at=now,
        updated_at=now,
        next_poll_at=now + timing.submit_grace,
        deadline=now + timing.deadline,
    )
