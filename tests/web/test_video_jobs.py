"""The video job's page, its JSON status for video_job.js, and video jobs in the history."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from entrypoints.web.video.job import GONE, elapsed_text, job_view
from entrypoints.web.video.types import VideoJobJson
from tests.web.conftest import FakeApi, problem
from tests.web.fake_video import MP4, VIDEO_MODELS, FakeVideos

ME = "ada@example.com"


@pytest.fixture
def videos(fake_api: FakeApi) -> FakeVideos:
    fake_api.gen.models["video"] = VIDEO_MODELS
    fake_api.video.gen = fake_api.gen
    return fake_api.video


def job_id(videos: FakeVideos, owner: str = ME) -> str:
    return str(videos.add_job(owner, "A fox in the snow")["id"])


def test_a_queued_job_shows_its_progress_and_a_refresh_link(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    job = job_id(videos)

    page = signed_in.get(f"/video/{job}").text

    assert 'data-testid="job-status">Queued: waiting for the provider to start.</span>' in page
    assert '<ol class="steps" id="job-steps" data-status="queued" aria-label="Progress">' in page
    assert f'data-status-url="/video/{job}/status"' in page
    refresh = rf'id="job-refresh">\s*The page follows the job by itself. <a href="/video/{job}">'
    assert re.search(refresh + "Refresh</a>", page)
    assert 'data-testid="prompt">A fox in the snow</div>' in page
    assert "<video" not in page
    assert re.search(r'id="job-error"[^>]* hidden>', page)
    assert '<script src="/static/video_job.js" defer></script>' in page


def test_a_completed_job_plays_its_video_through_the_media_proxy(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    job = job_id(videos)
    url = videos.finish(job)

    page = signed_in.get(f"/video/{job}").text
    video = signed_in.get(url)

    assert f'<video controls preload="metadata" src="{url}" data-testid="video"></video>' in page
    assert "Completed: the video is ready." in page
    assert 'data-status="completed"' in page
    assert 'Took</span> <span id="job-elapsed" data-testid="job-elapsed">1 min 05 s' in page
    assert re.search(r'id="job-refresh" hidden>', page)
    assert video.status_code == 200
    assert video.headers["Content-Type"] == "video/mp4"
    assert video.data == MP4


def test_a_failed_job_says_why(signed_in: FlaskClient, videos: FakeVideos) -> None:
    job = job_id(videos)
    videos.fail(job, "Content policy violation.")

    page = signed_in.get(f"/video/{job}").text

    assert "Failed: the video could not be made." in page
    assert '<span id="job-error-reason">Content policy violation.</span>' in page
    assert not re.search(r'id="job-error"[^>]* hidden>', page)
    assert '<li data-step="finished" id="job-step-finished">Failed</li>' in page
    assert "<video" not in page


def test_a_failure_without_a_reason_still_reads_well(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    job = job_id(videos)
    videos.fail(job, None)

    assert "The provider gave no reason." in signed_in.get(f"/video/{job}").text


def test_someone_elses_job_is_not_found(signed_in: FlaskClient, videos: FakeVideos) -> None:
    theirs = job_id(videos, owner="eve@example.com")

    page = signed_in.get(f"/video/{theirs}")
    status = signed_in.get(f"/video/{theirs}/status")

    assert page.status_code == 404
    assert "We could not find that page." in page.text
    assert "A fox in the snow" not in page.text
    assert status.status_code == 404
    assert status.json == {"code": "not_found", "message": GONE}


@pytest.mark.parametrize("odd", ["a b", "x" * 129, "..", "%2e%2e"])
def test_odd_job_ids_are_not_found_without_asking_the_api(
    signed_in: FlaskClient, fake_api: FakeApi, odd: str
) -> None:
    before = len(fake_api.calls)

    assert signed_in.get(f"/video/{odd}").status_code == 404
    assert signed_in.get(f"/video/{odd}/status").status_code == 404
    assert not [c for c in fake_api.calls[before:] if c.startswith("GET /generate/video")]


def test_the_status_json_follows_the_job_to_its_video(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    job = job_id(videos)
    first = signed_in.get(f"/video/{job}/status")
    videos.advance(job)
    second = signed_in.get(f"/video/{job}/status").json
    url = videos.finish(job)
    third = signed_in.get(f"/video/{job}/status").json

    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["Cache-Control"] == "no-store"
    assert first.json is not None
    assert first.json["status"] == "queued"
    assert first.json["finished"] is False
    assert first.json["video_src"] is None
    assert second["status_text"] == "In progress: the video is being made."
    assert third == {
        "id": job,
        "status": "completed",
        "status_text": "Completed: the video is ready.",
        "finished": True,
        "elapsed_s": 65,
        "video_src": url,
        "error_text": None,
    }


def test_the_status_json_of_a_failed_job_has_the_reason(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    job = job_id(videos)
    videos.fail(job, "It expired at the provider before it finished.")

    answer = signed_in.get(f"/video/{job}/status").json

    assert answer is not None
    assert answer["status"] == "failed"
    assert answer["error_text"] == "It expired at the provider before it finished."


def test_the_status_json_without_a_session_points_to_sign_in(
    client: FlaskClient, videos: FakeVideos
) -> None:
    response = client.get("/video/g1/status")

    assert response.status_code == 401
    assert response.json == {
        "code": "session_expired",
        "message": "Your session has expired. Please sign in again.",
        "redirect": "/login?next=/video/g1",
    }


def test_the_status_json_when_the_session_ended_meanwhile(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    job = job_id(videos)
    fake_api.expire_access_tokens()
    fake_api.revoke_refresh_tokens()

    response = signed_in.get(f"/video/{job}/status")

    assert response.status_code == 401
    assert response.json is not None
    assert response.json["redirect"] == f"/login?next=/video/{job}"
    assert signed_in.get("/").status_code == 302  # signed out


def test_the_status_json_when_the_api_fails(
    signed_in: FlaskClient, fake_api: FakeApi, videos: FakeVideos
) -> None:
    job = job_id(videos)
    fake_api.forced[f"/generate/video/{job}"] = problem(500, "internal_error")

    response = signed_in.get(f"/video/{job}/status")

    assert response.status_code == 502
    assert response.json == {
        "code": "internal_error",
        "message": "The job's status could not be read just now.",
    }


def test_video_jobs_are_in_the_history_with_their_status_and_link_to_their_page(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    running, done = job_id(videos), job_id(videos)
    videos.finish(done)

    page = signed_in.get("/history?kind=video").text
    detail = signed_in.get(f"/history/{done}").text

    assert f'class="history-link" href="/video/{running}"' in page
    assert f'class="history-link" href="/video/{done}"' in page
    assert '<span class="badge badge-queued">queued</span>' in page
    assert '<span class="badge badge-completed">completed</span>' in page
    assert (
        f'href="/video/{done}" data-testid="video-job-link">Watch the video on its page' in detail
    )
    assert '<video class="gallery-item"' in detail


def test_the_navigation_and_the_dashboard_lead_to_video(
    signed_in: FlaskClient, videos: FakeVideos
) -> None:
    dashboard = signed_in.get("/").text

    assert '<li><a href="/video">Video</a></li>' in dashboard
    assert '<a class="tile" href="/video"><strong>Video</strong>' in dashboard
    assert '<a href="/video" aria-current="page">Video</a>' in signed_in.get("/video").text


def test_elapsed_time_is_written_for_people() -> None:
    assert [elapsed_text(s) for s in (0, 42, 65, 3599, 3720)] == [
        "0 s",
        "42 s",
        "1 min 05 s",
        "59 min 59 s",
        "1 h 02 min",
    ]


def test_a_running_jobs_clock_runs_and_a_finished_ones_stops() -> None:
    job = VideoJobJson(
        id="g1",
        model="m/x",
        status="in_progress",
        video_url=None,
        error=None,
        created_at="2025-01-01T10:00:00Z",
        updated_at="2025-01-01T10:00:30Z",
    )
    now = datetime(2025, 1, 1, 10, 2, 0, tzinfo=UTC)

    assert job_view(job, now)["elapsed_s"] == 120
    assert job_view({**job, "status": "failed"}, now)["elapsed_s"] == 30
    assert job_view({**job, "status": "odd"}, now)["status"] == "queued"
    assert job_view({**job, "created_at": "?"}, now)["elapsed_s"] == 0
