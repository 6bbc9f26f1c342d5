"""Video jobs: the forward-only state machine, polling backoff, the history record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import VideoTransitionError
from domain.media import MediaRef
from domain.video_jobs import (
    MAX_REASON_CHARS,
    VideoJob,
    VideoStatus,
    VideoTiming,
    may_move,
    new_job,
    short_reason,
)
from domain.video_options import VideoOptions

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TIMING = VideoTiming()
Q, P, C, F = VideoStatus.QUEUED, VideoStatus.IN_PROGRESS, VideoStatus.COMPLETED, VideoStatus.FAILED


def a_job(**changes: object) -> VideoJob:
    job = new_job(
        job_id="j1",
        user_id="u1",
        model="google/veo-3.1-lite",
        prompt="a fox",
        options=VideoOptions(),
        image_source=None,
        now=NOW,
        timing=TIMING,
    )
    return job.moved(job.status, NOW, **changes)


def a_video() -> MediaRef:
    return MediaRef("m1", "u1", "j1", "video/mp4", 100, None, None, NOW)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Q, Q, True),
        (Q, P, True),
        (Q, C, True),
        (Q, F, True),
        (P, P, True),
        (P, C, True),
        (P, F, True),
        (P, Q, False),
        (C, F, False),
        (F, C, False),
        (C, C, False),
        (F, Q, False),
    ],
)
def test_jobs_move_only_forward_and_never_leave_an_end(
    current: VideoStatus, target: VideoStatus, allowed: bool
) -> None:
    assert may_move(current, target) is allowed


def test_moving_backwards_or_out_of_an_end_is_refused() -> None:
    working = a_job().moved(P, NOW)
    with pytest.raises(VideoTransitionError):
        working.moved(Q, NOW)
    done = working.completed(a_video(), 0.5, NOW)
    with pytest.raises(VideoTransitionError):
        done.failed("too late", "upstream_timeout", NOW)
    assert done.status is C and done.finished_at == NOW and done.error is None


def test_a_stale_pending_after_in_progress_changes_nothing() -> None:
    working = a_job().observed(P, NOW, TIMING)
    assert working.observed(Q, NOW, TIMING).status is P


def test_upstream_completion_alone_does_not_complete_the_job() -> None:
    # completed needs the video in our store; until then the job is in progress
    assert a_job().observed(C, NOW, TIMING).status is P


def test_a_job_is_submitted_once() -> None:
    sent = a_job().submitted("up-1", "https://x/videos/up-1", NOW, TIMING)
    assert (sent.upstream_id, sent.next_poll_at) == ("up-1", NOW + TIMING.poll)
    with pytest.raises(VideoTransitionError):
        sent.submitted("up-2", None, NOW, TIMING)


def test_a_new_job_is_due_only_once_its_submit_should_have_been_confirmed() -> None:
    job = a_job()
    assert job.status is Q and job.upstream_id is None
    assert job.next_poll_at == NOW + TIMING.submit_grace
    assert job.deadline == NOW + TIMING.deadline


def test_polls_back_off_to_the_ceiling() -> None:
    timing = VideoTiming(poll=timedelta(seconds=5), max_poll=timedelta(seconds=30))
    waits = [timing.next_poll(polls, 0).total_seconds() for polls in range(8)]
    assert waits[0] == 5 and waits == sorted(waits) and waits[-1] == 30
    assert timing.next_poll(0, 3) == timedelta(seconds=30)  # errors back off faster
    assert timing.next_poll(0, 1) == timedelta(seconds=10)


def test_reasons_are_one_short_clean_line() -> None:
    assert short_reason("  Content\npolicy\x00 violation ", "x") == "Content policy violation"
    assert short_reason(None, "fallback") == "fallback"
    assert len(short_reason("a" * 1000, "x")) == MAX_REASON_CHARS


def test_the_job_record_is_a_video_generation_with_its_status_and_file() -> None:
    job = a_job(options=VideoOptions(duration=4), image_source="upload").moved(P, NOW)
    done = job.completed(a_video(), 0.25, NOW + timedelta(seconds=40))
    record = done.record()
    assert (record.kind.value, record.status.value, record.usage.cost) == (
        "video",
        "completed",
        0.25,
    )
    assert record.media == (a_video(),) and record.duration_ms == 40_000
    assert record.options == '{"duration": 4, "image": "upload"}'


EVENTS = st.one_of(
    st.tuples(st.just("observe"), st.sampled_from(list(VideoStatus))),
    st.tuples(st.sampled_from(["poll_failed", "download_failed", "complete", "fail"]), st.none()),
    st.tuples(st.just("move"), st.sampled_from(list(VideoStatus))),
)


def _apply(job: VideoJob, event: tuple[str, VideoStatus | None]) -> VideoJob:
    name, status = event
    later = job.updated_at + timedelta(seconds=1)
    if name == "observe" and status is not None:
        return job.observed(status, later, TIMING)
    if name == "move" and status is not None:
        return job.moved(status, later)
    if name == "poll_failed":
        return job.poll_failed(later, TIMING)
    if name == "download_failed":
        return job.download_failed(later, TIMING)
    if name == "complete":
        return job.completed(a_video(), 1.0, later)
    return job.failed("it broke", "upstream_unavailable", later)


@given(st.lists(EVENTS, max_size=40))
def test_no_sequence_of_events_moves_a_job_backwards(
    events: list[tuple[str, VideoStatus | None]],
) -> None:
    job = a_job()
    for event in events:
        try:
            after = _apply(job, event)
        except VideoTransitionError:
            continue  # refused: the job is unchanged
        assert after.status.rank >= job.status.rank
        assert not job.status.finished, "a finished job accepted a change"
        assert after.status.finished == (after.finished_at is not None)
        job = after
