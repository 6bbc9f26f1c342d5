"""Steps the video use-case tests share: submit a job on the fake world, run the follower."""

from __future__ import annotations

from domain.video_jobs import VideoJob
from domain.video_options import VideoOptions
from tests.fake_gateway import VEO
from tests.unit.world import World

PROMPT = "A red fox runs through snow"


async def submitted(world: World, user: str = "u1", **options: object) -> VideoJob:
    return await world.submit_video().execute(
        user_id=user,
        model=VEO,
        prompt=PROMPT,
        options=VideoOptions(**options),  # type: ignore[arg-type]
    )


async def follow(world: World, passes: int = 5) -> VideoJob:
    """Run follower passes, each after the poll interval; the stored job at the end."""
    for _ in range(passes):
        world.clock.advance(seconds=60)
        await world.advance_video_jobs().execute()
    [job] = world.uow.video_jobs.rows.values()
    return job
