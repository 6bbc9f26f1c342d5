"""World: one fake per port and a builder per use case (style.md Pattern 8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.security.throttle import InMemoryLoginThrottle
from adapters.security.tokens import JwtTokenIssuer
from application.admin.bootstrap_admin import BootstrapAdmin
from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import CurrentUser
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register import RegisterUser
from application.auth.tokens import TokenPair
from domain.users import PasswordPolicy
from tests.fakes import (
    FakeClock,
    FakeIdGenerator,
    FakePasswordHasher,
    FakeUnitOfWork,
    FakeUserLookup,
)

SECRET = "unit-test-signing-key-that-is-long-enough"
PASSWORD = "correct horse battery staple"
COMMON = frozenset({"password1234", "iloveyou123"})


@dataclass
class World:
    clock: FakeClock = field(default_factory=lambda: FakeClock(datetime(2026, 1, 1, tzinfo=UTC)))
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    hasher: FakePasswordHasher = field(default_factory=FakePasswordHasher)
    ids: FakeIdGenerator = field(default_factory=FakeIdGenerator)
    tokens: JwtTokenIssuer = field(default_factory=lambda: JwtTokenIssuer(secret=SECRET))
    throttle: InMemoryLoginThrottle = field(
        default_factory=lambda: InMemoryLoginThrottle(
            limits={"account": 5, "client": 20}, window_s=900
        )
    )
    policy: PasswordPolicy = field(default_factory=lambda: PasswordPolicy(common=COMMON))
    grace: timedelta = timedelta(seconds=10)
    family_lifetime: timedelta = timedelta(days=14)
    registration_open: bool = True

    def register(self) -> RegisterUser:
        return RegisterUser(
            self.uow, self.hasher, self.clock, self.ids, self.policy, self.registration_open
        )

    def authenticate(self) -> Authenticate:
        return Authenticate(
            self.uow,
            self.hasher,
            self.tokens,
            self.clock,
            self.ids,
            self.throttle,
            self.family_lifetime,
        )

    def refresh_tokens(self) -> RefreshTokens:
        return RefreshTokens(self.uow, self.tokens, self.clock, self.ids, self.grace)

    def logout(self) -> Logout:
        return Logout(self.uow, self.tokens, self.clock)

    def change_password(self) -> ChangePassword:
        return ChangePassword(self.uow, self.hasher, self.clock, self.policy)

    def current_user(self) -> CurrentUser:
        return CurrentUser(FakeUserLookup(self.uow), self.tokens, self.clock)

    def bootstrap_admin(self) -> BootstrapAdmin:
        return BootstrapAdmin(self.uow, self.hasher, self.clock, self.ids, self.policy)

    async def signed_up(self, email: str, password: str = PASSWORD) -> TokenPair:
        await self.register().execute(email=email, password=password)
        return await self.login(email, password)

    async def login(
        self, email: str, password: str = PASSWORD, client: str = "10.0.0.1"
    ) -> TokenPair:
        return await self.authenticate().execute(email=email, password=password, client=client)

    def live_tokens(self, family_id: str) -> list[str]:
        return [t.jti for t in self.uow.refresh_tokens.live_in_family(family_id)]
