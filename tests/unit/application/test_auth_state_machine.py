"""Hypothesis state machine over register / login / refresh / logout / clock advance."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from datetime import datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from application.errors import EmailTakenError, InvalidCredentialsError
from domain.errors import TokenExpiredError, TokenReusedError, TokenRevokedError
from tests.unit.world import PASSWORD, World

LIFETIME, GRACE = timedelta(hours=2), timedelta(seconds=10)
EXPECTED = (
    TokenReusedError,
    TokenRevokedError,
    TokenExpiredError,
    EmailTakenError,
    InvalidCredentialsError,
)


class AuthMachine(RuleBasedStateMachine):
    """Every token ever handed out stays in a bundle, so stale tokens are replayed too."""

    emails = Bundle("emails")
    tokens = Bundle("tokens")

    def __init__(self) -> None:
        super().__init__()
        self.world = World(family_lifetime=LIFETIME, grace=GRACE)
        self.loop = asyncio.new_event_loop()
        self.revoked_families: set[str] = set()
        self.handed_out: dict[str, list[str]] = defaultdict(list)
        self.issued_at: dict[str, list[datetime]] = defaultdict(list)
        self.started: dict[str, datetime] = {}
        self.registrations = 0

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    @rule(target=emails, name=st.sampled_from(["ada", "bob", "cy"]))
    def register(self, name: str) -> str:
        email = f"{name}@example.com"
        self.registrations += 1  # each from its own address: email_taken counts per address
        client = f"10.2.{self.registrations // 250}.{self.registrations % 250}"
        with contextlib.suppress(EmailTakenError):
            self.run(self.world.register().execute(email=email, password=PASSWORD, client=client))
        return email

    @rule(target=tokens, email=emails)
    def login(self, email: str) -> tuple[str, str]:
        pair = self.run(self.world.login(email))
        self.handed_out[pair.family_id].append(pair.refresh_token)
        self.issued_at[pair.family_id].append(self.world.clock.now())
        self.started[pair.family_id] = self.world.clock.now()
        return pair.family_id, pair.refresh_token

    @rule(target=tokens, token=tokens)
    def refresh(self, token: tuple[str, str]) -> tuple[str, str]:
        family, refresh_token = token
        expected = self._expected(family, refresh_token)
        try:
            pair = self.run(self.world.refresh_tokens().execute(refresh_token=refresh_token))
        except EXPECTED as error:
            assert type(error).__name__ == expected, f"expected {expected}, got {error!r}"
            if isinstance(error, TokenReusedError):
                self.revoked_families.add(family)
            return token
        assert expected in ("rotate", "replay"), f"expected {expected}, got a new pair"
        if expected == "replay":
            assert pair.refresh_token == self.handed_out[family][-1]
            return token
        self.handed_out[family].append(pair.refresh_token)
        self.issued_at[family].append(self.world.clock.now())
        return family, pair.refresh_token

    def _expected(self, family: str, refresh_token: str) -> str:
        """The model: what presenting this token must do, from what was handed out."""
        now, chain = self.world.clock.now(), self.handed_out[family]
        if now >= self.started[family] + LIFETIME:  # the token's own `exp` is read first
            return "TokenExpiredError"
        if family in self.revoked_families:
            return "TokenRevokedError"
        if refresh_token == chain[-1]:
            return "rotate"
        is_previous = len(chain) > 1 and refresh_token == chain[-2]
        if is_previous and now - self.issued_at[family][-1] <= GRACE:
            return "replay"
        return "TokenReusedError"

    @rule(token=tokens)
    def logout(self, token: tuple[str, str]) -> None:
        try:
            self.run(self.world.logout().execute(refresh_token=token[1]))
        except TokenExpiredError:
            assert self.world.clock.now() >= self.started[token[0]] + LIFETIME
            return
        self.revoked_families.add(token[0])

    @rule(seconds=st.sampled_from([1, 5, 9, 11, 60, 900, 7200]))
    def advance(self, seconds: int) -> None:
        self.world.clock.advance(seconds=seconds)

    @precondition(lambda self: bool(self.handed_out))
    @invariant()
    def at_most_one_live_token_per_family(self) -> None:
        for family in self.handed_out:
            assert len(self.world.live_tokens(family)) <= 1

    @invariant()
    def revoked_families_stay_dead(self) -> None:
        for family in self.revoked_families:
            assert self.world.live_tokens(family) == []

    def teardown(self) -> None:
        self.loop.close()


AuthMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestAuthStateMachine = AuthMachine.TestCase
