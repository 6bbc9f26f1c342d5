"""Query: does the platform have an admin yet (start-up bootstrap decides on it)."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.system import UnitOfWork


@dataclass(frozen=True, slots=True)
class HasAdmin:
    """True once at least one admin exists."""

    uow: UnitOfWork

    async def execute(self) -> bool:
        async with self.uow as uow:
            return await uow.users.count_admins() > 0
