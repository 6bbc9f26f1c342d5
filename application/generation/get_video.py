"""Use case: one video job, as its owner (or an admin) sees it."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.visibility import visible_or_not_found
from application.ports.system import UnitOfWork
from domain.video_jobs import VideoJob


@dataclass(frozen=True, slots=True)
class GetVideo:
    """A video job is visible to its owner and to admins; to anyone else it is 404."""

    uow: UnitOfWork

    async def execute(self, *, job_id: str, user_id: str, is_admin: bool) -> VideoJob:
        async with self.uow as uow:
            job = await uow.video_jobs.get(job_id)
        return visible_or_not_found(job, user_id, is_admin=is_admin)
