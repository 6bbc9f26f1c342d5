"""The login throttle around a password check or an email lookup (security.md #7)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from application.errors import RateLimitedError
from application.ports.auth import LoginThrottle, ThrottleSlot
from application.ports.system import Clock, IdGenerator, UnitOfWork
from domain.audit import AuditAction, AuditEvent


@dataclass(frozen=True, slots=True)
class Guard:
    """Sign-in, password change and registration count against the same limits. A check is
    reserved before it runs; a check that raises stays counted (it ages out with the window)."""

    throttle: LoginThrottle
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def reserve(self, *, account: str | None, client: str) -> ThrottleSlot:
        slot = await self.throttle.reserve(account=account, client=client, now=self.clock.now())
        if isinstance(slot, int):
            raise RateLimitedError(slot)
        return slot

    async def succeeded(self, slot: ThrottleSlot) -> None:
        await self.throttle.succeed(slot, self.clock.now())

    async def errored(self, slot: ThrottleSlot) -> None:
        """The check raised (or was cancelled): it stays counted, even if we are cancelled
        again while the throttle writes that down."""
        await asyncio.shield(self.throttle.fail(slot))

    async def failed(self, slot: ThrottleSlot, user_id: str | None) -> None:
        """Count the failure; a lock it starts is a security event (security.md #44).
        Addresses are not stored."""
        locked = await self.throttle.fail(slot)
        if not locked:
            return
        kinds = ",".join(sorted(locked))
        event = AuditEvent(
            self.ids.new_id(),
            self.clock.now(),
            AuditAction.LOGIN_LOCK,
            None,
            user_id,
            "locked",
            kinds,
        )
        async with self.uow as uow:
            await uow.audit.add(event)
            await uow.commit()
