"""Port contracts: the same assertions on the fake unit of work and on DuckDB (Pattern 9)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest

from application.errors import EmailTakenError
from application.ports.system import UnitOfWork
from domain.users import Role
from tests.integration.conftest import NOW, a_token, a_user
from tests.integration.contracts import uow  # noqa: F401 (fixture)

LATER = NOW + timedelta(minutes=5)


async def seed(uow: UnitOfWork, *tokens: str, family: str = "f1", user: str = "u1") -> None:
    async with uow:
        if await uow.users.get(user) is None:
            await uow.users.add(a_user(user, f"{user}@example.com"))
        for jti in tokens:
            await uow.refresh_tokens.add(a_token(jti, family=family, user=user))
        await uow.commit()


async def live(uow: UnitOfWork, *jtis: str) -> set[str]:
    async with uow:
        rows = [await uow.refresh_tokens.get(jti) for jti in jtis]
    return {row.jti for row in rows if row is not None and row.is_live}


async def test_work_without_commit_is_rolled_back(uow: UnitOfWork) -> None:
    async with uow:
        await uow.users.add(a_user(email="gone@example.com"))
        await uow.refresh_tokens.add(a_token("t1"))

    async with uow:
        assert await uow.users.get_by_email("gone@example.com") is None
        assert await uow.refresh_tokens.get("t1") is None


async def test_an_exception_inside_the_block_rolls_back_and_propagates(uow: UnitOfWork) -> None:
    await seed(uow)
    with pytest.raises(RuntimeError, match="boom"):
        async with uow:
            await uow.users.set_role("u1", Role.ADMIN)
            await uow.refresh_tokens.add(a_token("t1"))
            raise RuntimeError("boom")

    async with uow:
        user = await uow.users.get("u1")
        assert user is not None
        assert user.role is Role.USER
        assert await uow.refresh_tokens.get("t1") is None


async def test_a_committed_user_is_found_by_id_and_by_email(uow: UnitOfWork) -> None:
    user = a_user("u7", "grace@example.com", Role.ADMIN)
    async with uow:
        await uow.users.add(user)
        await uow.commit()

    async with uow:
        assert await uow.users.get("u7") == user
        assert await uow.users.get_by_email("grace@example.com") == user
        assert await uow.users.get("nobody") is None
        assert await uow.users.get_by_email("nobody@example.com") is None


async def test_adding_a_second_account_with_a_taken_email_raises_email_taken(
    uow: UnitOfWork,
) -> None:
    await seed(uow)
    with pytest.raises(EmailTakenError):
        async with uow:
            await uow.users.add(a_user("u2", "u1@example.com"))

    async with uow:
        assert await uow.users.get("u2") is None


async def test_password_hash_and_role_changes_persist_once_committed(uow: UnitOfWork) -> None:
    await seed(uow)
    async with uow:
        await uow.users.set_password_hash("u1", "fake$new")
        await uow.users.set_role("u1", Role.ADMIN)
        await uow.commit()

    async with uow:
        user = await uow.users.get("u1")
    assert user is not None
    assert (user.password_hash, user.role) == ("fake$new", Role.ADMIN)


async def test_count_admins_counts_only_committed_admins(uow: UnitOfWork) -> None:
    async with uow:
        await uow.users.add(a_user("a1", "a1@example.com", Role.ADMIN))
        await uow.users.add(a_user("a2", "a2@example.com", Role.ADMIN))
        await uow.users.add(a_user("u1", "u1@example.com"))
        await uow.commit()
    async with uow:
        await uow.users.set_role("u1", Role.ADMIN)  # rolled back

    async with uow:
        assert await uow.users.count_admins() == 2


async def test_a_refresh_token_comes_back_equal_to_what_was_stored(uow: UnitOfWork) -> None:
    plus_two = timezone(timedelta(hours=2))
    stored = replace(
        a_token("t2", parent="t1"), revoked_at=LATER.astimezone(plus_two), replaced_by="t3"
    )
    async with uow:
        await uow.refresh_tokens.add(stored)
        await uow.commit()

    async with uow:
        loaded = await uow.refresh_tokens.get("t2")
        assert await uow.refresh_tokens.get("unknown") is None
    assert loaded == stored
    assert loaded is not None
    assert loaded.issued_at.utcoffset() == timedelta(0)
    assert loaded.issued_at.microsecond == NOW.microsecond


async def test_retire_succeeds_once_then_returns_false(uow: UnitOfWork) -> None:
    await seed(uow, "t1")
    async with uow:
        first = await uow.refresh_tokens.retire("t1", "t2")
        second = await uow.refresh_tokens.retire("t1", "t3")
        await uow.commit()

    async with uow:
        again = await uow.refresh_tokens.retire("t1", "t4")
        token = await uow.refresh_tokens.get("t1")
    assert (first, second, again) == (True, False, False)
    assert token is not None
    assert token.replaced_by == "t2"


async def test_retire_refuses_a_revoked_or_unknown_token(uow: UnitOfWork) -> None:
    await seed(uow, "t1")
    async with uow:
        await uow.refresh_tokens.revoke_family("f1", NOW)
        await uow.commit()

    async with uow:
        assert await uow.refresh_tokens.retire("t1", "t2") is False
        assert await uow.refresh_tokens.retire("unknown", "t2") is False
        token = await uow.refresh_tokens.get("t1")
    assert token is not None
    assert token.replaced_by is None


async def test_a_retirement_that_is_not_committed_leaves_the_token_live(uow: UnitOfWork) -> None:
    await seed(uow, "t1")
    async with uow:
        assert await uow.refresh_tokens.retire("t1", "t2") is True

    assert await live(uow, "t1") == {"t1"}


async def test_revoke_family_revokes_every_token_of_that_family_and_no_other(
    uow: UnitOfWork,
) -> None:
    await seed(uow, "a1", "a2", family="fa")
    await seed(uow, "b1", family="fb")
    async with uow:
        await uow.refresh_tokens.revoke_family("fa", NOW)
        await uow.commit()

    assert await live(uow, "a1", "a2", "b1") == {"b1"}


async def test_revoking_twice_keeps_the_first_revocation_time(uow: UnitOfWork) -> None:
    await seed(uow, "t1")
    for moment in (NOW, LATER):
        async with uow:
            await uow.refresh_tokens.revoke_family("f1", moment)
            await uow.commit()

    async with uow:
        token = await uow.refresh_tokens.get("t1")
    assert token is not None
    assert token.revoked_at == NOW


async def test_revoke_user_families_keeps_only_the_named_family(uow: UnitOfWork) -> None:
    await seed(uow, "a1", family="fa")
    await seed(uow, "b1", "b2", family="fb")
    await seed(uow, "c1", family="fc")
    await seed(uow, "o1", family="fo", user="u2")
    async with uow:
        await uow.refresh_tokens.revoke_user_families("u1", NOW, keep_family="fb")
        await uow.commit()

    assert await live(uow, "a1", "b1", "b2", "c1", "o1") == {"b1", "b2", "o1"}


async def test_revoke_user_families_without_a_kept_family_revokes_them_all(
    uow: UnitOfWork,
) -> None:
    await seed(uow, "a1", family="fa")
    await seed(uow, "b1", family="fb")
    await seed(uow, "o1", family="fo", user="u2")
    async with uow:
        await uow.refresh_tokens.revoke_user_families("u1", NOW)
        await uow.commit()

    assert await live(uow, "a1", "b1", "o1") == {"o1"}
