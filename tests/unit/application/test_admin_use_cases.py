"""Admin rules on fakes: the last admin, role changes, deletion, and the audit trail."""

from __future__ import annotations

import asyncio

import pytest

from application.errors import InvalidCredentialsError, NotFoundError
from domain.audit import AuditAction
from domain.errors import LastAdminError, TokenInvalidError, TokenRevokedError
from domain.users import Role
from tests.unit.world import PASSWORD, World


async def an_admin(world: World) -> str:
    await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
    return next(u.id for u in world.uow.users.rows.values() if u.role is Role.ADMIN)


async def test_the_last_admin_cannot_be_demoted_or_deleted(world: World) -> None:
    root = await an_admin(world)
    with pytest.raises(LastAdminError):
        await world.change_role().execute(actor_id=root, user_id=root, role=Role.USER)
    with pytest.raises(LastAdminError):
        await world.delete_user().execute(actor_id=root, user_id=root)
    assert world.uow.users.rows[root].role is Role.ADMIN


async def test_with_two_admins_one_may_step_down(world: World) -> None:
    root = await an_admin(world)
    await world.signed_up("ada@example.com")
    ada = next(u.id for u in world.uow.users.rows.values() if u.email.startswith("ada"))
    await world.change_role().execute(actor_id=root, user_id=ada, role=Role.ADMIN)
    demoted = await world.change_role().execute(actor_id=ada, user_id=root, role=Role.USER)
    assert demoted.role is Role.USER


async def test_a_role_change_revokes_sessions_and_is_audited(world: World) -> None:
    root = await an_admin(world)
    pair = await world.signed_up("ada@example.com")
    ada = next(u.id for u in world.uow.users.rows.values() if u.email.startswith("ada"))
    await world.change_role().execute(actor_id=root, user_id=ada, role=Role.ADMIN)
    with pytest.raises(TokenRevokedError):
        await world.refresh_tokens().execute(refresh_token=pair.refresh_token)
    event = world.uow.audit.rows[-1]
    assert (event.action, event.actor_id, event.target_id) == (AuditAction.ROLE_CHANGE, root, ada)


async def test_deleting_a_user_removes_their_tokens_generations_and_media(world: World) -> None:
    root = await an_admin(world)
    pair = await world.signed_up("ada@example.com")
    ada = next(u.id for u in world.uow.users.rows.values() if u.email.startswith("ada"))
    await world.generate_image().execute(user_id=ada, model="a/b", prompt="x")
    await world.delete_user().execute(actor_id=root, user_id=ada)
    assert ada not in world.uow.users.rows
    assert [t for t in world.uow.refresh_tokens.rows.values() if t.user_id == ada] == []
    assert (world.uow.generations.rows, world.media.files) == ({}, {})
    with pytest.raises(TokenInvalidError):
        await world.current_user().execute(access_token=pair.access_token)
    with pytest.raises(NotFoundError):
        await world.delete_user().execute(actor_id=root, user_id=ada)
    assert world.uow.audit.rows[-1].action is AuditAction.USER_DELETED


async def test_a_login_lock_and_a_token_reuse_are_audited(world: World) -> None:
    first = await world.signed_up("ada@example.com")
    await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    world.clock.advance(seconds=30)
    with pytest.raises(Exception, match="already used"):
        await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    for attempt in range(5):
        with pytest.raises(InvalidCredentialsError):
            await world.login("ada@example.com", f"wrong {attempt}", client=f"10.1.1.{attempt}")
    actions = [e.action for e in world.uow.audit.rows]
    assert actions == [AuditAction.TOKEN_REUSE, AuditAction.LOGIN_LOCK]
    assert world.uow.audit.rows[-1].detail == "account"


async def test_two_processes_bootstrapping_the_same_admin_at_once_both_start(
    world: World,
) -> None:
    """Several API workers start together, each finds no admin and creates it: the one that
    loses the race finds the account made by the other instead of failing its start-up."""
    both_read = asyncio.Barrier(2)
    hash_password = world.hasher.hash

    async def hash_once_both_have_read(password: str) -> str:
        await both_read.wait()  # each bootstrap has looked the email up, and found nothing
        return await hash_password(password)

    world.hasher.hash = hash_once_both_have_read  # type: ignore[method-assign]
    outcomes = await asyncio.gather(
        world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD),
        world.bootstrap_admin().execute(email="Root@example.com", password=PASSWORD),
    )
    assert sorted(outcomes) == ["already_admin", "created"]
    assert [u.role for u in world.uow.users.rows.values()] == [Role.ADMIN]
