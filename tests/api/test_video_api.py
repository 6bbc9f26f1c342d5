"""Video jobs through the API against the simulator, followed by the background follower."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from tests.api.conftest import Account, stored_rows
from tests.api.generation_fixtures import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.api.test_auth_api import assert_problem
from tests.api.video_fixtures import (
    SORA,
    VEO,
    ada,  # noqa: F401 (fixture)
    follow,
    polls,
    started,
    statuses,
    submit,
    submits,
    video_api,  # noqa: F401 (fixture)
    video_container,
    wait_for,
)
from tests.fakes import FakeClock
from tests.simulator_fixtures import (
    SimulatorHandle,
    assert_playable_mp4,
    simulator,  # noqa: F401 (fixture)
    simulator_session,  # noqa: F401 (fixture)
)


def test_a_job_goes_queued_then_in_progress_then_completed_and_its_video_plays(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    simulator.set_scenario(video_pending_polls=2, video_in_progress_polls=3)
    response = submit(video_api, ada, duration=4, resolution="720p", aspect_ratio="16:9")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued" and job["video_url"] is None and job["error"] is None
    assert set(job) == {"id", "model", "status", "video_url", "error", "created_at", "updated_at"}
    seen = follow(video_api, ada, job["id"])
    assert statuses(seen) == ["queued", "in_progress", "completed"]
    done = seen[-1]
    assert done["video_url"].startswith("/media/") and done["updated_at"] >= job["updated_at"]
    video = video_api.get(done["video_url"], headers=ada.headers)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert_playable_mp4(video.content)
    [sent] = submits(simulator)
    assert sent["json"] == {
        "model": VEO,
        "prompt": "a fox in snow",
        "duration": 4,
        "resolution": "720p",
        "aspect_ratio": "16:9",
    }
    [item] = video_api.get("/generations?kind=video", headers=ada.headers).json()["data"]
    assert (item["id"], item["status"], item["media"][0]["content_type"]) == (
        job["id"],
        "completed",
        "video/mp4",
    )
    assert item["usage"]["cost"] > 0
    deleted = video_api.delete(f"/generations/{job['id']}", headers=ada.headers)
    assert deleted.status_code == 204  # the job and its video go with the generation
    assert video_api.get(f"/generate/video/{job['id']}", headers=ada.headers).status_code == 404
    assert video_api.get(done["video_url"], headers=ada.headers).status_code == 404


def test_poll_errors_postpone_the_job_and_it_still_completes(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    job = submit(video_api, ada).json()
    simulator.set_scenario(fault="flaky:3:503")  # polls and the download fail 3 times first
    assert follow(video_api, ada, job["id"])[-1]["status"] == "completed"
    assert [r["status"] for r in polls(simulator)][:3] == [503, 503, 503]
    assert len(submits(simulator)) == 1  # never submitted again


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("video_failed", "The provider could not make this video: Content policy violation."),
        ("video_cancelled", "The provider cancelled it: Job was cancelled."),
        (
            "video_expired",
            "It expired at the provider before it finished: Job exceeded maximum time to live.",
        ),
        (
            "video_content_502",
            "The video was made but could not be downloaded: The model provider failed; try",
        ),
    ],
)
def test_each_terminal_failure_fails_the_job_with_its_reason(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle, fault: str, reason: str
) -> None:
    job = submit(video_api, ada, prompt=f"[[sim:fault={fault}]] a fox").json()
    failed = follow(video_api, ada, job["id"])[-1]
    assert failed["status"] == "failed" and failed["video_url"] is None
    assert failed["error"].startswith(reason)
    [item] = video_api.get("/generations", headers=ada.headers).json()["data"]
    assert item["status"] == "failed" and item["media"] == []


def test_a_job_openrouter_forgot_fails(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    job = submit(video_api, ada).json()
    simulator.reset()  # the simulator forgets every job: polls answer 404
    failed = follow(video_api, ada, job["id"])[-1]
    assert failed["error"] == "OpenRouter no longer knows this video job."


def test_a_job_past_its_deadline_is_failed(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> None:
    simulator.set_scenario(video_pending_polls=10_000)
    clock = FakeClock(datetime.now(UTC))
    container = video_container(tmp_path, simulator, video_job_deadline_s=600, **engine_settings)
    container.clock.override(providers.Object(clock))
    with started(container) as api:
        ada = Account(api, "ada@example.com")
        job = submit(api, ada).json()
        clock.advance(seconds=5)
        wait_for(lambda: len(polls(simulator)) == 1)  # polled once: still pending upstream
        assert api.get(f"/generate/video/{job['id']}", headers=ada.headers).json()["status"] == (
            "queued"
        )
        clock.advance(minutes=11)
        ada.tokens = ada.login()  # the old access token expired with the jump
        failed = follow(api, ada, job["id"])[-1]
    assert failed["error"] == "It did not finish within 10 minutes."


def test_others_jobs_do_not_exist_for_them_but_admins_see_them(
    video_api: TestClient, ada: Account
) -> None:
    job = submit(video_api, ada).json()
    bob = Account(video_api, "bob@example.com")
    assert_problem(
        video_api.get(f"/generate/video/{job['id']}", headers=bob.headers), 404, "not_found"
    )
    assert_problem(
        video_api.get("/generate/video/no-such-job", headers=ada.headers), 404, "not_found"
    )
    root = Account.__new__(Account)
    root.client, root.email, root.password = video_api, ADMIN_EMAIL, ADMIN_PASSWORD
    root.tokens = root.login()
    assert (
        video_api.get(f"/generate/video/{job['id']}", headers=root.headers).json()["id"]
        == (job["id"])
    )
    assert video_api.get(f"/generate/video/{job['id']}").status_code == 401


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        (
            VEO,
            {"duration": 5},
            "Duration 5 is not offered by google/veo-3.1-lite; choose one of: 4, 6, 8.",
        ),
        (VEO, {"resolution": "4K"}, "choose one of: 720p, 1080p."),
        (VEO, {"aspect_ratio": "1:1"}, "choose one of: 16:9, 9:16."),
        (SORA, {"seed": 7}, "openai/sora-2-pro does not take a seed; leave it out."),
        ("openai/gpt-4o", {}, "openai/gpt-4o is not a video model here; choose one of:"),
    ],
)
def test_options_outside_the_model_are_a_422_naming_the_allowed_values(
    video_api: TestClient,
    ada: Account,
    simulator: SimulatorHandle,
    model: str,
    options: dict[str, object],
    message: str,
) -> None:
    body = assert_problem(submit(video_api, ada, model=model, **options), 422, "validation_error")
    assert message in body["detail"]
    assert (
        submits(simulator) == []
        and video_api.get("/generations", headers=ada.headers).json()["data"] == []
    )


def test_values_no_model_takes_fail_the_schema(
    video_api: TestClient, ada: Account, simulator: SimulatorHandle
) -> None:
    for bad in ({"resolution": "8K"}, {"duration": 0}, {"seed": -1}, {"fps": 30}, {"prompt": ""}):
        body = assert_problem(submit(video_api, ada, **bad), 422, "validation_error")  # type: ignore[arg-type]
        assert body["errors"]
    assert submits(simulator) == []


def test_video_models_list_their_capabilities(video_api: TestClient, ada: Account) -> None:
    models = video_api.get("/models?output=video", headers=ada.headers).json()["data"]
    veo = next(m for m in models if m["id"] == VEO)
    assert veo["durations"] == [4, 6, 8] and veo["resolutions"] == ["720p", "1080p"]
    assert veo["aspect_ratios"] == ["16:9", "9:16"]
    assert veo["frame_images"] == ["first_frame", "last_frame"]
    assert veo["output_modalities"] == ["video"] and veo["generate_audio"] is True
    sora = next(m for m in models if m["id"] == SORA)
    assert sora["frame_images"] == [] and sora["input_modalities"] == ["text"]
    text = video_api.get("/models?output=text", headers=ada.headers).json()["data"]
    assert all(m["durations"] is None for m in text)


def test_a_job_survives_a_restart_of_the_api_and_completes(
    tmp_path: Path, simulator: SimulatorHandle, engine_settings: dict[str, Any]
) -> None:
    simulator.set_scenario(video_pending_polls=1, video_in_progress_polls=12)
    with started(video_container(tmp_path, simulator, **engine_settings)) as first:
        ada = Account(first, "ada@example.com")
        job = submit(first, ada).json()
        follow(first, ada, job["id"], until={"in_progress"})
    [[status]] = stored_rows(tmp_path, engine_settings, "SELECT status FROM generations")
    assert status == "in_progress"  # the first process stopped in the middle of the job
    polled_before = len(polls(simulator))
    with started(video_container(tmp_path, simulator, **engine_settings)) as second:
        ada.client = second  # same data directory, same signing key: same session
        done = follow(second, ada, job["id"])[-1]
    assert done["status"] == "completed" and len(polls(simulator)) > polled_before
    assert len(submits(simulator)) == 1
