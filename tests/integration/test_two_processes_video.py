"""Video jobs followed by two API processes on one PostgreSQL: each job is polled by one of
them (its lease), and when that one is killed (-9) mid-job, the other completes the job
once the lease has lapsed. The simulator counts every poll by the port it came through,
one per process (tests/multiprocess.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.multiprocess import TwoApis, bearer, signed_up, start_two_apis

VEO = "google/veo-3.1-lite"
FAST_FOLLOWER = {
    "ALLUCANGET_VIDEO_POLL_INTERVAL_S": "0.1",
    "ALLUCANGET_VIDEO_POLL_MAX_INTERVAL_S": "0.2",
    "ALLUCANGET_VIDEO_LEASE_S": "2",
    "ALLUCANGET_MAX_ACTIVE_VIDEO_JOBS": "20",
    "ALLUCANGET_GENERATIONS_PER_MINUTE": "1000",
}
WAIT_S = 60


@pytest.fixture
def apis(pg_url: str, tmp_path: Path) -> Iterator[TwoApis]:
    with start_two_apis(pg_url, tmp_path, **FAST_FOLLOWER) as two:
        yield two


def submit(url: str, tokens: dict[str, Any]) -> str:
    answer = httpx.post(
        f"{url}/generate/video",
        json={"prompt": "a fox in snow", "model": VEO},
        headers=bearer(tokens),
        timeout=30,
    )
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def wait_until_finished(url: str, tokens: dict[str, Any], job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/generate/video/{job_id}", headers=bearer(tokens)).json()
        if job["status"] in ("completed", "failed"):
            return dict(job)
        time.sleep(0.1)
    raise AssertionError(f"video job {job_id} still {job['status']} after {WAIT_S} s")


def test_each_job_is_polled_by_one_process(apis: TwoApis) -> None:
    apis.simulator.set_scenario(video_pending_polls=4, video_in_progress_polls=4)
    a, b = apis.urls
    ada, bob = signed_up(a, "ada@example.com"), signed_up(b, "bob@example.com")
    jobs = [(a, ada, submit(a, ada)) for _ in range(4)] + [
        (b, bob, submit(b, bob)) for _ in range(4)
    ]
    for url, tokens, job_id in jobs:
        assert wait_until_finished(url, tokens, job_id)["status"] == "completed"
    polls = apis.polls_by_process()
    assert len(polls) == len(jobs)
    for upstream_id, by_process in polls.items():
        assert len(by_process) == 1, (upstream_id, by_process)  # one process polled it
        assert sum(by_process.values()) == 9  # 4 pending, 4 in progress, completed: no more


def test_a_job_whose_process_is_killed_is_completed_by_the_other(apis: TwoApis) -> None:
    apis.simulator.set_scenario(video_pending_polls=20, video_in_progress_polls=20)
    a = apis.urls[0]
    ada = signed_up(a, "ada@example.com")
    job_id = submit(a, ada)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:  # until one process has polled it a few times
        [by_process] = apis.polls_by_process().values() or [None]
        if by_process is not None and sum(by_process.values()) >= 3:
            break
        time.sleep(0.05)
    assert by_process is not None and len(by_process) == 1, by_process
    [owner] = by_process
    apis.servers[owner].kill()  # SIGKILL: its lease is left to lapse
    survivor = apis.urls[1 - owner]
    done = wait_until_finished(survivor, ada, job_id)
    assert done["status"] == "completed" and done["video_url"], done
    video = httpx.get(f"{survivor}{done['video_url']}", headers=bearer(ada))
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    [polls] = apis.polls_by_process().values()
    assert polls[owner] >= 3 and polls[1 - owner] >= 1
    assert sum(polls.values()) == 41  # 20 + 20 + completed: none lost, none repeated
    [order] = apis.poll_order().values()  # never both at once: the owner's, then the other's
    assert order == [owner] * polls[owner] + [1 - owner] * polls[1 - owner]
