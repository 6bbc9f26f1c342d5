"""The login throttle (security.md #7) on both engines, the use cases on fakes around it:
checks reserved before the hash, so parallel attempts get at most the limit; per-address
failures never refuse another address; a stranger cannot lock the owner out where they
signed in before; password change and registration count too. `memory` is the embedded
engine's InMemoryLoginThrottle, `postgres` the PgLoginThrottle on a real server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from adapters.postgres.database import PgDatabase
from adapters.postgres.throttle import PgLoginThrottle
from adapters.security.throttle import InMemoryLoginThrottle
from application.errors import EmailTakenError, InvalidCredentialsError, RateLimitedError
from application.ports.auth import LoginThrottle, ThrottleSlot
from tests.fakes import FakePasswordHasher
from tests.unit.world import PASSWORD, World

HOME, STRANGER, ELSEWHERE = "10.0.0.1", "203.0.113.66", "198.51.100.7"


class GatedHasher(FakePasswordHasher):
    """Once held, holds every check at a gate that opens when each of `total` attempts has
    reached a check or finished without one: every attempt is in flight at once (no sleeps)."""

    def __init__(self) -> None:
        super().__init__()
        self.total, self.arrived, self.gate = 0, 0, asyncio.Event()
        self.gate.set()

    def hold(self, total: int) -> None:
        self.total, self.arrived = total, 0
        self.gate.clear()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.total:
            self.gate.set()

    async def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        self.arrive()
        await self.gate.wait()
        return await super().verify_and_update(password, password_hash)


async def together(hasher: GatedHasher, attempts: list[Awaitable[object]]) -> list[str]:
    """Run the attempts at once; each outcome's class name ("TokenPair", "RateLimitedError")."""
    hasher.hold(len(attempts))

    async def one(attempt: Awaitable[object]) -> str:
        try:
            return type(await attempt).__name__
        except (InvalidCredentialsError, RateLimitedError, EmailTakenError) as error:
            return type(error).__name__
        finally:
            hasher.arrive()

    return list(await asyncio.gather(*(one(attempt) for attempt in attempts)))


Make = Callable[..., LoginThrottle]  # (limits=..., window_s=...) -> a fresh throttle
LIMITS = {"account": 5, "client": 20}


@pytest.fixture(params=["memory", "postgres"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    if request.param == "memory":
        yield InMemoryLoginThrottle
        return
    database = PgDatabase(request.getfixturevalue("pg_url"))
    await database.open()  # as the app's lifespan does, before the first request
    yield lambda **settings: PgLoginThrottle(database, **settings)
    await database.close()


@pytest.fixture
def world(make: Make) -> World:
    return World(throttle=make(limits=LIMITS, window_s=900))


@pytest.fixture
def gated(make: Make) -> Callable[[], tuple[World, GatedHasher]]:
    def build() -> tuple[World, GatedHasher]:
        hasher = GatedHasher()
        return World(hasher=hasher, throttle=make(limits=LIMITS, window_s=900)), hasher

    return build


async def test_forty_parallel_wrong_passwords_for_one_account_get_five_checks(
    gated: Callable[[], tuple[World, GatedHasher]],
) -> None:
    world, hasher = gated()
    await world.register().execute(email="ada@example.com", password=PASSWORD, client=HOME)
    attempts = [
        world.login("ada@example.com", f"guess {n}", client=f"10.1.0.{n}") for n in range(40)
    ]

    outcomes = await together(hasher, attempts)

    assert outcomes.count("InvalidCredentialsError") == 5
    assert outcomes.count("RateLimitedError") == 35
    assert hasher.calls == 1 + 5  # the registration's hash, then five checks


async def test_forty_parallel_wrong_passwords_from_one_address_get_twenty_checks(
    gated: Callable[[], tuple[World, GatedHasher]],
) -> None:
    world, hasher = gated()
    attempts = [world.login(f"u{n}@example.com", "guess", client=STRANGER) for n in range(40)]

    outcomes = await together(hasher, attempts)

    assert outcomes.count("InvalidCredentialsError") == 20
    assert outcomes.count("RateLimitedError") == 20
    await world.signed_up("bob@example.com")  # another address is untouched


async def test_a_right_password_in_the_crowd_still_signs_in_while_slots_are_free(
    gated: Callable[[], tuple[World, GatedHasher]],
) -> None:
    world, hasher = gated()
    await world.register().execute(email="ada@example.com", password=PASSWORD, client=HOME)
    wrong = [world.login("ada@example.com", "guess", client=f"10.1.0.{n}") for n in range(4)]

    outcomes = await together(hasher, [*wrong, world.login("ada@example.com", client=HOME)])

    assert sorted(outcomes) == ["InvalidCredentialsError"] * 4 + ["TokenPair"]


async def test_a_check_that_raises_stays_counted_and_ages_out(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client=HOME)

    async def broken(password: str, password_hash: str | None) -> tuple[bool, str | None]:
        raise OSError("the hashing pool is gone")

    world.hasher.verify_and_update = broken  # type: ignore[method-assign]
    for _ in range(5):
        with pytest.raises(OSError, match="pool"):
            await world.login("ada@example.com", client=STRANGER)
    del world.hasher.verify_and_update
    with pytest.raises(RateLimitedError):
        await world.login("ada@example.com", client=ELSEWHERE)
    world.clock.advance(seconds=901)
    await world.login("ada@example.com", client=ELSEWHERE)


async def test_an_address_full_of_failures_never_refuses_another_address(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client=HOME)
    for n in range(20):
        with pytest.raises(InvalidCredentialsError):
            await world.login(f"u{n}@example.com", "guess", client=STRANGER)
    with pytest.raises(RateLimitedError):
        await world.login("ada@example.com", client=STRANGER)
    await world.login("ada@example.com", client=ELSEWHERE)
    await world.signed_up("bob@example.com")


async def test_a_stranger_locks_the_account_but_not_where_its_owner_signed_in(
    world: World,
) -> None:
    await world.signed_up("ada@example.com")  # from HOME: HOME is now familiar to ada
    for n in range(5):
        with pytest.raises(InvalidCredentialsError):
            await world.login("ada@example.com", "guess", client=f"10.1.0.{n}")
    with pytest.raises(RateLimitedError):  # the per-account rule, for every other address
        await world.login("ada@example.com", client=ELSEWHERE)

    await world.login("ada@example.com", client=HOME)

    with pytest.raises(RateLimitedError):  # the owner's success did not free the strangers
        await world.login("ada@example.com", "guess", client="10.1.0.9")


async def test_failures_at_a_familiar_address_lock_only_that_address(world: World) -> None:
    await world.signed_up("ada@example.com")
    for _ in range(5):
        with pytest.raises(InvalidCredentialsError):
            await world.login("ada@example.com", "guess", client=HOME)
    with pytest.raises(RateLimitedError):
        await world.login("ada@example.com", client=HOME)
    await world.login("ada@example.com", client=ELSEWHERE)


async def test_an_address_stops_being_familiar_after_thirty_days(world: World) -> None:
    await world.signed_up("ada@example.com")
    world.clock.advance(days=30, seconds=1)
    for n in range(5):
        with pytest.raises(InvalidCredentialsError):
            await world.login("ada@example.com", "guess", client=f"10.1.0.{n}")
    with pytest.raises(RateLimitedError):
        await world.login("ada@example.com", client=HOME)


async def change(world: World, current: str, client: str) -> None:
    await world.change_password().execute(
        user_id=next(iter(world.uow.users.rows)),
        current_password=current,
        new_password="a brand new passphrase",
        session=None,
        client=client,
    )


async def test_a_stolen_session_cannot_guess_the_current_password_freely(world: World) -> None:
    await world.signed_up("ada@example.com")
    for n in range(5):
        with pytest.raises(InvalidCredentialsError):
            await change(world, f"guess {n}", client=STRANGER)
    checks = world.hasher.calls
    with pytest.raises(RateLimitedError):
        await change(world, PASSWORD, client=STRANGER)
    assert world.hasher.calls == checks
    with pytest.raises(RateLimitedError):  # they count against the account's sign-ins too
        await world.login("ada@example.com", client=ELSEWHERE)
    await world.login("ada@example.com", client=HOME)  # the owner, where they signed in


async def test_parallel_password_changes_get_five_checks(
    gated: Callable[[], tuple[World, GatedHasher]],
) -> None:
    world, hasher = gated()
    await world.signed_up("ada@example.com")
    attempts = [change(world, f"guess {n}", client=f"10.1.0.{n}") for n in range(40)]

    outcomes = await together(hasher, attempts)

    assert outcomes.count("InvalidCredentialsError") == 5
    assert outcomes.count("RateLimitedError") == 35


async def test_taken_emails_count_against_the_address_not_the_account(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client=HOME)
    for _ in range(20):
        with pytest.raises(EmailTakenError):
            await world.register().execute(
                email="ada@example.com", password=PASSWORD, client=STRANGER
            )
    with pytest.raises(RateLimitedError) as limited:
        await world.register().execute(email="new@example.com", password=PASSWORD, client=STRANGER)
    assert 0 < limited.value.retry_after_s <= 901
    assert len(world.uow.users.rows) == 1
    await world.login("ada@example.com", client=ELSEWHERE)  # ada is not locked out
    await world.register().execute(email="new@example.com", password=PASSWORD, client=ELSEWHERE)


async def test_new_accounts_do_not_use_up_an_address(world: World) -> None:
    for n in range(25):
        await world.register().execute(
            email=f"u{n}@example.com", password=PASSWORD, client=STRANGER
        )
    await world.login("u0@example.com", client=STRANGER)


async def test_checks_in_flight_ask_for_a_second_failures_for_the_window(make: Make) -> None:
    throttle = make(limits={"account": 2, "client": 9}, window_s=900)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    slots = [await throttle.reserve(account="ada", client=f"10.0.0.{n}", now=now) for n in range(2)]
    assert await throttle.reserve(account="ada", client="10.0.0.9", now=now) == 1
    assert [await throttle.fail(slot) for slot in slots if isinstance(slot, ThrottleSlot)] == [
        [],
        ["account"],
    ]
    assert await throttle.reserve(account="ada", client="10.0.0.9", now=now) == 901


async def test_any_text_is_a_key_even_with_nul(make: Make) -> None:
    throttle = make(limits={"account": 1, "client": 9}, window_s=900)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    slot = await throttle.reserve(account="a\x00@x.org", client="10.0.0.1\x00", now=now)
    assert isinstance(slot, ThrottleSlot)
    assert await throttle.fail(slot) == ["account"]
    assert await throttle.reserve(account="a\x00@x.org", client="10.0.0.2", now=now) == 901
