"""The in-memory generation counts behind /metrics follow a video job through its states,
and equal a fresh count of the table at every step (real adapters, on each engine)."""

from __future__ import annotations

from application.ports.video import VideoPoll
from domain.video_options import VideoOptions
from tests.fake_gateway import COMPLETED, VEO
from tests.integration.test_deletion_in_flight import Platform, platform  # noqa: F401


async def counts(platform: Platform) -> list[tuple[str, str, int]]:
    kept = platform.database.generation_counts.snapshot()
    fresh = await platform.rows(
        "SELECT kind, status, count(*) FROM generations GROUP BY kind, status"
    )
    assert kept == sorted(fresh)
    return kept


async def test_a_video_job_moves_its_count_from_state_to_state(platform: Platform) -> None:
    ada = await platform.add_user("ada")
    platform.video.polls = [VideoPoll("in_progress"), COMPLETED]
    platform.video.release.set()
    job = await platform.container.submit_video().execute(
        user_id=ada, model=VEO, prompt="a fox", options=VideoOptions()
    )
    assert await counts(platform) == [("video", "queued", 1)]
    follow = platform.container.advance_video_jobs
    platform.clock.advance(seconds=60)
    await follow().execute()
    assert await counts(platform) == [("video", "in_progress", 1)]
    platform.clock.advance(seconds=60)
    await follow().execute()
    assert await counts(platform) == [("video", "completed", 1)]
    await platform.container.delete_generation().execute(
        generation_id=job.id, user_id=ada, is_admin=False
    )
    assert await counts(platform) == []
