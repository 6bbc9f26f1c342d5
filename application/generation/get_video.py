"""Use case: one video job, as its owner (or an admin) sees it."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.ports.system import UnitOfWork
from domain.video_jobs import VideoJob


@dataclass(frozen=True, slots=True)
class GetVideo:
    """A video job is visible to its owner and to admins; to anyone else it does not
    exist (404, not 403: security.md #28)."""

    uow: UnitOfWork

    async def execute(self, *, job_id: str, user_id: str, is_admin: bool) -> VideoJob:
        async with self.uow as uow:
            job = await uow.video_jobs.get(job_id)
        if job is None or not job.visible_to(user_id, is_admin=is_admin):
            raise NotFoundError()
        return job
