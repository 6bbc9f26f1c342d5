"""Refresh-token rotation on fakes: single successor, grace replay, reuse, lifetime."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import TokenExpiredError, TokenInvalidError, TokenReusedError
from tests.unit.world import World


async def test_a_refresh_returns_a_new_pair_and_retires_the_old_token(world: World) -> None:
    first = await world.signed_up("ada@example.com")
    world.clock.advance(seconds=1)
    second = await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert second.family_id == first.family_id
    assert len(world.live_tokens(first.family_id)) == 1


async def test_replaying_the_previous_token_within_grace_returns_the_same_successor(
    world: World,
) -> None:
    first = await world.signed_up("ada@example.com")
    second = await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    world.clock.advance(seconds=10)
    again = await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    assert again.refresh_token == second.refresh_token
    assert len(world.live_tokens(first.family_id)) == 1


async def test_stale_refresh_outside_grace_revokes_the_whole_family(world: World) -> None:
    first = await world.signed_up("ada@example.com")
    second = await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    world.clock.advance(seconds=11)
    with pytest.raises(TokenReusedError):
        await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    assert world.live_tokens(first.family_id) == []
    with pytest.raises(Exception, match="signed out"):
        await world.refresh_tokens().execute(refresh_token=second.refresh_token)


async def test_a_token_two_generations_old_is_reuse_even_within_grace(world: World) -> None:
    first = await world.signed_up("ada@example.com")
    second = await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    await world.refresh_tokens().execute(refresh_token=second.refresh_token)
    with pytest.raises(TokenReusedError):
        await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    assert world.live_tokens(first.family_id) == []


async def test_strict_mode_treats_any_replay_as_reuse(world: World) -> None:
    world.grace = timedelta(0)
    first = await world.signed_up("ada@example.com")
    await world.refresh_tokens().execute(refresh_token=first.refresh_token)
    with pytest.raises(TokenReusedError):
        await world.refresh_tokens().execute(refresh_token=first.refresh_token)


async def test_rotation_never_extends_the_absolute_family_lifetime(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    for _ in range(13):
        world.clock.advance(days=1)
        pair = await world.refresh_tokens().execute(refresh_token=pair.refresh_token)
    world.clock.advance(days=1)
    with pytest.raises(TokenExpiredError):
        await world.refresh_tokens().execute(refresh_token=pair.refresh_token)


async def test_an_access_token_is_not_a_refresh_token(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    with pytest.raises(TokenInvalidError):
        await world.refresh_tokens().execute(refresh_token=pair.access_token)
    with pytest.raises(TokenInvalidError):
        await world.current_user().execute(access_token=pair.refresh_token)


async def test_a_deleted_users_refresh_token_is_refused(world: World) -> None:
    pair = await world.signed_up("ada@example.com")
    world.uow.users.rows.clear()
    with pytest.raises(TokenInvalidError):
        await world.refresh_tokens().execute(refresh_token=pair.refresh_token)
