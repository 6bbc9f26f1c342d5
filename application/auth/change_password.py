"""Use case: change one's own password."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import InvalidCredentialsError
from application.locks import KeyedLocks
from application.ports import Clock, PasswordHasher, UnitOfWork
from application.retry import retry_on_conflict
from domain.errors import TokenInvalidError
from domain.users import PasswordPolicy


@dataclass(frozen=True, slots=True)
class ChangePassword:
    """The current password is required; the new one must meet the policy. Every other
    session (refresh-token family) of the user is revoked (security.md #5)."""

    uow: UnitOfWork
    hasher: PasswordHasher
    clock: Clock
    policy: PasswordPolicy
    locks: KeyedLocks

    async def execute(
        self, *, user_id: str, current_password: str, new_password: str, session: str | None
    ) -> None:
        self.policy.check(new_password)
        async with self.uow as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise TokenInvalidError()
        ok, _ = await self.hasher.verify_and_update(current_password, user.password_hash)
        if not ok:
            raise InvalidCredentialsError("The current password is not correct.")
        new_hash = await self.hasher.hash(new_password)

        async def save() -> None:
            async with self.uow as uow:
                await uow.users.set_password_hash(user_id, new_hash)
                await uow.refresh_tokens.revoke_user_families(
                    user_id, self.clock.now(), keep_family=session
                )
                await uow.commit()

        async with self.locks.hold(user_id):
            await retry_on_conflict(save)
