"""Use case: change one's own password."""

from __future__ import annotations

from dataclasses import dataclass

from application.auth.throttling import Guard
from application.errors import InvalidCredentialsError
from application.keys.revocation import revoke_all_keys
from application.ports.auth import LoginThrottle, PasswordHasher
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.errors import TokenInvalidError
from domain.users import PasswordPolicy


@dataclass(frozen=True, slots=True)
class ChangePassword:
    """The current password is required; the new one must meet the policy. Every other
    session (refresh-token family) of the user is revoked (security.md #5), and so is every
    API key (SECURITY.md, API keys). The check of the current password counts against the
    sign-in limits of the account and of the client address (429 past them), so a stolen
    session cannot guess it freely (#7)."""

    uow: UnitOfWork
    hasher: PasswordHasher
    clock: Clock
    ids: IdGenerator
    policy: PasswordPolicy
    locks: Locks
    throttle: LoginThrottle

    async def execute(
        self,
        *,
        user_id: str,
        current_password: str,
        new_password: str,
        session: str | None,
        client: str,
    ) -> None:
        self.policy.check(new_password)
        async with self.uow as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise TokenInvalidError()
        guard = Guard(self.throttle, self.uow, self.clock, self.ids)
        slot = await guard.reserve(account=user.email, client=client)
        try:
            ok, _ = await self.hasher.verify_and_update(current_password, user.password_hash)
        except BaseException:
            await guard.errored(slot)
            raise
        if not ok:
            await guard.failed(slot, user.id)
            raise InvalidCredentialsError("The current password is not correct.")
        await guard.succeeded(slot)
        new_hash = await self.hasher.hash(new_password)

        async def save() -> None:
            now = self.clock.now()
            async with self.uow as uow:
                await uow.users.set_password_hash(user_id, new_hash)
                await uow.refresh_tokens.revoke_user_families(user_id, now, keep_family=session)
                await revoke_all_keys(
                    uow, self.ids, user_id, actor_id=user_id, now=now, reason="password changed"
                )
                await uow.commit()

        async with self.locks.hold(user_id):
            await retry_on_conflict(save)
