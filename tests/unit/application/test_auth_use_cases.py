"""Register, sign in, current user, sign out and change password on fakes."""

from __future__ import annotations

import pytest

from application.admin.bootstrap_admin import BootstrapOutcome
from application.errors import (
    EmailTakenError,
    InvalidCredentialsError,
    RateLimitedError,
    RegistrationDisabledError,
)
from domain.errors import TokenExpiredError, TokenInvalidError, TokenRevokedError, WeakPasswordError
from domain.users import Role
from tests.unit.world import PASSWORD, World


async def test_registration_creates_a_normal_user_with_a_hashed_password(world: World) -> None:
    user = await world.register().execute(
        email="Ada@Example.com", password=PASSWORD, client="10.0.0.1"
    )
    stored = world.uow.users.rows[user.id]
    assert (stored.email, stored.role) == ("ada@example.com", Role.USER)
    assert PASSWORD not in stored.password_hash


async def test_registering_an_email_twice_is_refused(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client="10.0.0.1")
    with pytest.raises(EmailTakenError):
        await world.register().execute(
            email="ADA@example.com", password=PASSWORD, client="10.0.0.1"
        )
    assert len(world.uow.users.rows) == 1


async def test_a_common_password_is_refused_and_nothing_is_stored(world: World) -> None:
    with pytest.raises(WeakPasswordError):
        await world.register().execute(
            email="ada@example.com", password="password1234", client="10.0.0.1"
        )
    assert world.uow.users.rows == {}


async def test_registration_can_be_closed(world: World) -> None:
    world.registration_open = False
    with pytest.raises(RegistrationDisabledError):
        await world.register().execute(
            email="ada@example.com", password=PASSWORD, client="10.0.0.1"
        )


async def test_unknown_email_and_wrong_password_cost_one_hash_each(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client="10.0.0.1")
    for email, password in [("nobody@example.com", PASSWORD), ("ada@example.com", "wrong pw!")]:
        before = world.hasher.calls
        with pytest.raises(InvalidCredentialsError):
            await world.login(email, password)
        assert world.hasher.calls - before == 1


async def test_a_login_opens_a_family_with_one_live_token(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    assert world.live_tokens(pair.family_id) != []
    assert len(world.live_tokens(pair.family_id)) == 1
    caller = await world.current_user().execute(access_token=pair.access_token)
    assert caller.user.email == "ada@example.com"


async def test_a_due_rehash_is_saved_and_a_failed_login_changes_nothing(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client="10.0.0.1")
    user = next(iter(world.uow.users.rows.values()))
    world.uow.users.rows[user.id] = user.__class__(
        user.id, user.email, user.role, "old$" + user.password_hash.split("$")[1], user.created_at
    )
    world.hasher.upgrade_prefix = "old$"
    with pytest.raises(InvalidCredentialsError):
        await world.login("ada@example.com", "not the password")
    assert world.uow.users.rows[user.id].password_hash.startswith("old$")
    await world.login("ada@example.com")
    assert world.uow.users.rows[user.id].password_hash.startswith("fake$")


async def test_failed_logins_are_throttled_per_account_then_released(world: World) -> None:
    await world.register().execute(email="ada@example.com", password=PASSWORD, client="10.0.0.1")
    for attempt in range(5):
        with pytest.raises(InvalidCredentialsError):
            await world.login("ada@example.com", f"wrong {attempt}", client=f"10.0.0.{attempt}")
    with pytest.raises(RateLimitedError) as limited:
        await world.login("ada@example.com", client="10.9.9.9")
    assert 0 < limited.value.retry_after_s <= 901
    world.clock.advance(seconds=901)
    await world.login("ada@example.com")


async def test_failed_logins_are_throttled_per_client_address(world: World) -> None:
    await world.register().execute(email="bob@example.com", password=PASSWORD, client="10.0.0.1")
    for attempt in range(20):
        with pytest.raises(InvalidCredentialsError):
            await world.login(f"user{attempt}@example.com", "wrong pw!", client="10.6.6.6")
    with pytest.raises(RateLimitedError):
        await world.login("bob@example.com", client="10.6.6.6")
    await world.login("bob@example.com", client="10.7.7.7")


async def test_an_access_token_expires_after_fifteen_minutes(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    world.clock.advance(seconds=900 + 5)
    with pytest.raises(TokenExpiredError):
        await world.current_user().execute(access_token=pair.access_token)


async def test_a_deleted_users_access_token_is_refused_at_once(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    world.uow.users.rows.clear()
    with pytest.raises(TokenInvalidError):
        await world.current_user().execute(access_token=pair.access_token)


async def test_logout_revokes_the_family_and_is_idempotent(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    await world.logout().execute(refresh_token=pair.refresh_token)
    await world.logout().execute(refresh_token=pair.refresh_token)
    assert world.live_tokens(pair.family_id) == []
    with pytest.raises(TokenRevokedError):
        await world.refresh_tokens().execute(refresh_token=pair.refresh_token)


async def test_changing_the_password_revokes_every_other_session(world: World) -> None:
    here = await world.signed_up("ada@example.com")
    elsewhere = await world.login("ada@example.com")
    await world.change_password().execute(
        user_id=next(iter(world.uow.users.rows)),
        current_password=PASSWORD,
        new_password="a brand new passphrase",
        session=here.family_id,
        client="10.0.0.1",
    )
    assert world.live_tokens(elsewhere.family_id) == []
    assert len(world.live_tokens(here.family_id)) == 1
    with pytest.raises(InvalidCredentialsError):
        await world.login("ada@example.com")
    await world.login("ada@example.com", "a brand new passphrase")


async def test_changing_the_password_needs_the_current_one(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    user_id = next(iter(world.uow.users.rows))
    with pytest.raises(InvalidCredentialsError):
        await world.change_password().execute(
            user_id=user_id,
            current_password="guess guess",
            new_password="another passphrase",
            session=pair.family_id,
            client="10.0.0.1",
        )
    await world.login("ada@example.com")


async def test_bootstrap_creates_then_leaves_the_first_admin_alone(world: World) -> None:
    bootstrap = world.bootstrap_admin()
    assert await bootstrap.execute(email="root@example.com", password=PASSWORD) is (
        BootstrapOutcome.CREATED
    )
    assert await bootstrap.execute(email="root@example.com", password="x") is (
        BootstrapOutcome.ALREADY_ADMIN
    )
    assert [u.role for u in world.uow.users.rows.values()] == [Role.ADMIN]


async def test_bootstrap_promotes_an_existing_account_and_ends_its_sessions(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    outcome = await world.bootstrap_admin().execute(email="ada@example.com", password="ignored")
    assert outcome is BootstrapOutcome.PROMOTED
    assert world.live_tokens(pair.family_id) == []


async def test_two_processes_bootstrapping_at_once_leave_one_admin(world: World) -> None:
    """The other process's admin commits while this one hashes the password (between its
    look-up, which found nobody, and its insert)."""
    hasher = world.hasher
    hash_once = hasher.hash

    async def meanwhile(password: str) -> str:
        hasher.hash = hash_once  # type: ignore[method-assign]
        await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
        return await hash_once(password)

    hasher.hash = meanwhile  # type: ignore[method-assign]
    outcome = await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
    assert outcome is BootstrapOutcome.ALREADY_ADMIN
    assert [u.role for u in world.uow.users.rows.values()] == [Role.ADMIN]
