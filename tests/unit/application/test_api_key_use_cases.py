"""API key use cases on fakes: creation and the limit, the caller a key makes, the
constant-time check, last_used_at once a minute, revocation and what revokes keys."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from application.auth.current_user import CurrentUser
from application.errors import NotFoundError, OwnerDeletedError
from application.keys.authenticate_key import AuthenticateKey
from application.keys.create_api_key import CreateApiKey, CreatedKey
from application.keys.list_api_keys import ListApiKeys
from application.keys.list_user_api_keys import ListUserApiKeys
from application.keys.revoke_api_key import RevokeApiKey
from application.keys.revoke_user_api_key import RevokeUserApiKey
from domain.api_keys import MAX_LIVE_KEYS, TooManyKeysError
from domain.audit import AuditAction
from domain.errors import TokenInvalidError
from domain.users import Role
from tests.fake_api_keys import FakeApiKeyLookup, FakeKeyDigester
from tests.fakes import FakeUserLookup
from tests.unit.world import PASSWORD, World


@dataclass
class Keys:
    world: World
    digester: FakeKeyDigester = field(default_factory=FakeKeyDigester)

    def create(self) -> CreateApiKey:
        w = self.world
        return CreateApiKey(w.uow, self.digester, w.clock, w.ids, w.locks)

    def revoke(self) -> RevokeApiKey:
        return RevokeApiKey(self.world.uow, self.world.clock, self.world.ids, self.world.locks)

    def lookup(self) -> FakeApiKeyLookup:
        return FakeApiKeyLookup(self.world.uow.api_keys)

    def current_user(self, lookup: FakeApiKeyLookup | None = None) -> CurrentUser:
        w = self.world
        check = AuthenticateKey(lookup or self.lookup(), self.digester, w.uow, w.clock)
        return CurrentUser(FakeUserLookup(w.uow), w.tokens, w.clock, check)

    async def new(self, user_id: str, days: int | None = None) -> CreatedKey:
        return await self.create().execute(user_id=user_id, name="k", expires_in_days=days)


@pytest.fixture
def keys(world: World) -> Keys:
    return Keys(world)


async def user(world: World, email: str = "ada@example.com") -> str:
    await world.signed_up(email)
    return next(u.id for u in world.uow.users.rows.values() if u.email == email)


async def test_a_key_is_stored_as_a_digest_and_makes_its_owner_the_caller(
    world: World, keys: Keys
) -> None:
    ada = await user(world)
    created = await keys.new(ada)
    [stored] = world.uow.api_keys.rows.values()
    assert created.secret not in repr(stored) and stored.digest == keys.digester.digest(
        created.secret
    )
    assert stored.prefix == created.secret[:12]
    caller = await keys.current_user().execute(access_token=created.secret)
    assert caller.user.id == ada and caller.by_key
    assert caller.api_key is not None and caller.api_key.id == stored.id
    assert caller.api_key.name == "k"
    event = world.uow.audit.rows[-1]
    assert (event.action, event.actor_id, event.target_id) == (
        AuditAction.API_KEY_CREATED,
        ada,
        ada,
    )


async def test_the_stored_digest_is_compared_in_constant_time(world: World, keys: Keys) -> None:
    created = await keys.new(await user(world))
    await keys.current_user().execute(access_token=created.secret)
    assert keys.digester.comparisons == 1  # found by digest, then compare_digest on it


async def test_wrong_revoked_and_expired_keys_are_refused_alike(world: World, keys: Keys) -> None:
    ada = await user(world)
    current = keys.current_user()
    with pytest.raises(TokenInvalidError):
        await current.execute(access_token="agk_" + "x" * 43)
    short = await keys.new(ada, days=1)
    world.clock.advance(days=1)
    with pytest.raises(TokenInvalidError):
        await current.execute(access_token=short.secret)
    revoked = await keys.new(ada)
    await keys.revoke().execute(actor_id=ada, user_id=ada, key_id=revoked.key.id)
    with pytest.raises(TokenInvalidError):
        await current.execute(access_token=revoked.secret)
    with pytest.raises(TokenInvalidError):  # without the key check wired, a key is no token
        await CurrentUser(FakeUserLookup(world.uow), world.tokens, world.clock).execute(
            access_token=revoked.secret
        )


async def test_last_used_is_written_at_most_once_a_minute(world: World, keys: Keys) -> None:
    created = await keys.new(await user(world))
    current = keys.current_user()
    commits = world.uow.commits
    for _ in range(5):
        await current.execute(access_token=created.secret)
    assert world.uow.commits == commits + 1
    first = world.uow.api_keys.rows[created.key.id].last_used_at
    assert first == world.clock.now()
    world.clock.advance(seconds=61)
    await current.execute(access_token=created.secret)
    assert world.uow.api_keys.rows[created.key.id].last_used_at == world.clock.now()


async def test_at_most_twenty_live_keys_and_a_deleted_owner_gets_none(
    world: World, keys: Keys
) -> None:
    ada = await user(world)
    made = [await keys.new(ada) for _ in range(MAX_LIVE_KEYS)]
    with pytest.raises(TooManyKeysError):
        await keys.new(ada)
    await keys.revoke().execute(actor_id=ada, user_id=ada, key_id=made[0].key.id)
    await keys.new(ada)
    with pytest.raises(OwnerDeletedError):
        await keys.new("nobody")


async def test_lists_and_revocation_are_per_owner(world: World, keys: Keys) -> None:
    ada, bob = await user(world), await user(world, "bob@example.com")
    created = await keys.new(ada)
    assert await ListApiKeys(world.uow, world.clock).execute(user_id=bob) == []
    listed = await ListUserApiKeys(world.uow, world.clock).execute(user_id=ada)
    assert [k.id for k in listed] == [created.key.id]
    with pytest.raises(NotFoundError):
        await ListUserApiKeys(world.uow, world.clock).execute(user_id="nobody")
    with pytest.raises(NotFoundError):
        await keys.revoke().execute(actor_id=bob, user_id=bob, key_id=created.key.id)
    await RevokeUserApiKey(keys.revoke()).execute(actor_id=bob, user_id=ada, key_id=created.key.id)
    event = world.uow.audit.rows[-1]
    assert (event.action, event.actor_id, event.target_id) == (
        AuditAction.API_KEY_REVOKED,
        bob,
        ada,
    )
    assert event.detail is not None and "by admin" in event.detail


async def test_a_password_change_revokes_every_key(world: World, keys: Keys) -> None:
    ada = await user(world)
    created = await keys.new(ada)
    await world.change_password().execute(
        user_id=ada,
        current_password=PASSWORD,
        new_password="another fine passphrase",
        session=None,
        client="10.0.0.1",
    )
    assert world.uow.api_keys.rows[created.key.id].revoked_at is not None
    assert world.uow.audit.rows[-1].action is AuditAction.API_KEY_REVOKED


async def test_a_demotion_revokes_keys_a_promotion_keeps_them(world: World, keys: Keys) -> None:
    await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
    root = next(u.id for u in world.uow.users.rows.values() if u.role is Role.ADMIN)
    ada = await user(world)
    created = await keys.new(ada)
    await world.change_role().execute(actor_id=root, user_id=ada, role=Role.ADMIN)
    assert world.uow.api_keys.rows[created.key.id].revoked_at is None
    await world.change_role().execute(actor_id=root, user_id=ada, role=Role.USER)
    assert world.uow.api_keys.rows[created.key.id].revoked_at is not None


async def test_deleting_a_user_deletes_their_keys(world: World, keys: Keys) -> None:
    await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
    root = next(u.id for u in world.uow.users.rows.values() if u.role is Role.ADMIN)
    ada = await user(world)
    await keys.new(ada)
    await world.delete_user().execute(actor_id=root, user_id=ada)
    assert world.uow.api_keys.rows == {}


async def test_an_admins_key_has_no_admin_reach(world: World, keys: Keys) -> None:
    await world.bootstrap_admin().execute(email="root@example.com", password=PASSWORD)
    root = next(u.id for u in world.uow.users.rows.values() if u.role is Role.ADMIN)
    created = await keys.new(root)
    caller = await keys.current_user().execute(access_token=created.secret)
    assert caller.user.is_admin and not caller.is_admin
    session = await world.login("root@example.com")
    by_session = await keys.current_user().execute(access_token=session.access_token)
    assert by_session.is_admin and not by_session.by_key
