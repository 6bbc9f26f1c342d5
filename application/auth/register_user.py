"""Use case: create an account."""

from __future__ import annotations

from dataclasses import dataclass

from application.auth.throttling import Guard
from application.errors import ConflictError, EmailTakenError, RegistrationDisabledError
from application.ports.auth import LoginThrottle, PasswordHasher
from application.ports.system import Clock, IdGenerator, UnitOfWork
from domain.users import PasswordPolicy, Role, User, normalize_email


@dataclass(frozen=True, slots=True)
class RegisterUser:
    """Create a normal user (never an admin) with a unique email and a policy-compliant
    password. Registration can be switched off by configuration. Whether an email is taken
    is asked under the client address's sign-in limit, and `email_taken` counts as a failure
    of that address (429 past it), so emails cannot be enumerated in bulk. It does not count
    against the account: a stranger registering someone's email must not lock them out."""

    uow: UnitOfWork
    hasher: PasswordHasher
    clock: Clock
    ids: IdGenerator
    policy: PasswordPolicy
    throttle: LoginThrottle
    open: bool = True

    async def execute(self, *, email: str, password: str, client: str) -> User:
        if not self.open:
            raise RegistrationDisabledError()
        address = normalize_email(email)
        self.policy.check(password)
        guard = Guard(self.throttle, self.uow, self.clock, self.ids)
        slot = await guard.reserve(account=None, client=client)
        try:
            user = await self._create(address, password)
        except EmailTakenError:
            await guard.failed(slot, None)
            raise
        except BaseException:
            await guard.errored(slot)
            raise
        await guard.succeeded(slot)
        return user

    async def _create(self, address: str, password: str) -> User:
        async with self.uow as uow:
            if await uow.users.get_by_email(address) is not None:
                raise EmailTakenError()
        user = User(
            id=self.ids.new_id(),
            email=address,
            role=Role.USER,
            password_hash=await self.hasher.hash(password),
            created_at=self.clock.now(),
        )
        try:
            async with self.uow as uow:
                await uow.users.add(user)  # the unique index still decides a race
                await uow.commit()
        except ConflictError as exc:  # a concurrent registration took the email first
            raise EmailTakenError() from exc
        return user
