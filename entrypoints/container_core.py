"""The composition root, part one: storage, security, accounts and administration.

`entrypoints/container.py` extends it with generation, budgets and conversations; together
they are the one place that chooses an adapter for each port."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from adapters.duckdb.recorder import DuckDBGroupRecorder
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.media.store import FileMediaStore
from adapters.postgres.counts import PgGenerationCounts
from adapters.postgres.recorder import PgGroupRecorder
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.security.api_keys import HmacKeyDigester
from adapters.security.passwords import load_common_passwords
from adapters.security.tokens import JwtTokenIssuer
from adapters.sql.admin_readers import (
    SqlAuditReader,
    SqlStatsReader,
    SqlUserDirectory,
)
from adapters.sql.api_keys import SqlApiKeyLookup
from adapters.sql.health import SqlHealth
from adapters.sql.users import SqlUserLookup
from adapters.system import SystemClock, UuidGenerator
from application.admin.bootstrap_admin import BootstrapAdmin
from application.admin.change_role import ChangeRole
from application.admin.delete_user import DeleteUser
from application.admin.get_stats import GetStats
from application.admin.get_user import GetUser
from application.admin.has_admin import HasAdmin
from application.admin.list_audit import ListAudit
from application.admin.list_users import ListUsers
from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import CurrentUser
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register_user import RegisterUser
from application.keys.authenticate_key import AuthenticateKey
from application.keys.create_api_key import CreateApiKey
from application.keys.list_api_keys import ListApiKeys
from application.keys.list_user_api_keys import ListUserApiKeys
from application.keys.revoke_api_key import RevokeApiKey
from application.keys.revoke_user_api_key import RevokeUserApiKey
from application.locks import KeyedLocks
from domain.users import PasswordPolicy
from entrypoints import resources
from entrypoints.settings import Settings


class CoreContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    database = providers.Resource(resources.database, settings=settings)
    hasher = providers.Resource(resources.hasher, settings=settings)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidGenerator)
    throttle = providers.Singleton(resources.throttle, settings=settings)
    tokens = providers.Singleton(
        JwtTokenIssuer,
        secret=settings.provided.resolved_secret.call(),
        access_ttl_s=settings.provided.access_token_ttl_s,
    )
    locks = providers.Singleton(KeyedLocks)
    policy = providers.Singleton(PasswordPolicy, common=providers.Callable(load_common_passwords))
    user_lookup = providers.Singleton(SqlUserLookup, database=database)
    # the engine: "duckdb" (the file in the data directory) or "postgresql" (database_url)
    engine = providers.Callable(lambda settings: settings.engine, settings)
    uow = providers.Selector(
        engine,
        duckdb=providers.Factory(DuckDBUnitOfWork, database=database),
        postgresql=providers.Factory(PgUnitOfWork, database=database),
    )
    recorder = providers.Selector(
        engine,
        duckdb=providers.Singleton(DuckDBGroupRecorder, database=database, locks=locks),
        postgresql=providers.Singleton(PgGroupRecorder, database=database, locks=locks),
    )
    health = providers.Singleton(
        SqlHealth,
        database=database,
        engine=engine,
        counts=providers.Selector(
            engine,
            duckdb=providers.Object(None),
            postgresql=providers.Singleton(PgGenerationCounts, database=database),
        ),
    )

    register_user = providers.Factory(
        RegisterUser,
        uow=uow,
        hasher=hasher,
        clock=clock,
        ids=ids,
        policy=policy,
        throttle=throttle,
        open=settings.provided.allow_registration,
    )
    authenticate = providers.Factory(
        Authenticate,
        uow=uow,
        hasher=hasher,
        tokens=tokens,
        clock=clock,
        ids=ids,
        throttle=throttle,
        locks=locks,
        family_lifetime=providers.Factory(
            timedelta, seconds=settings.provided.refresh_family_ttl_s
        ),
    )
    refresh_tokens = providers.Factory(
        RefreshTokens,
        uow=uow,
        tokens=tokens,
        clock=clock,
        ids=ids,
        grace=providers.Factory(timedelta, seconds=settings.provided.refresh_grace_s),
        locks=locks,
    )
    logout = providers.Factory(Logout, uow=uow, tokens=tokens, clock=clock, locks=locks)
    change_password = providers.Factory(
        ChangePassword,
        uow=uow,
        hasher=hasher,
        clock=clock,
        ids=ids,
        policy=policy,
        locks=locks,
        throttle=throttle,
    )

    # API keys: an HMAC digest under a secret derived from the signing key (SECURITY.md)
    key_digester = providers.Singleton(
        HmacKeyDigester, secret=settings.provided.resolved_secret.call()
    )
    key_lookup = providers.Singleton(SqlApiKeyLookup, database=database)
    authenticate_key = providers.Factory(
        AuthenticateKey, lookup=key_lookup, digester=key_digester, uow=uow, clock=clock
    )
    create_api_key = providers.Factory(
        CreateApiKey, uow=uow, digester=key_digester, clock=clock, ids=ids, locks=locks
    )
    list_api_keys = providers.Factory(ListApiKeys, uow=uow, clock=clock)
    revoke_api_key = providers.Factory(RevokeApiKey, uow=uow, clock=clock, ids=ids, locks=locks)
    list_user_api_keys = providers.Factory(ListUserApiKeys, uow=uow, clock=clock)
    revoke_user_api_key = providers.Factory(RevokeUserApiKey, revoke=revoke_api_key)

    current_user = providers.Factory(
        CurrentUser, users=user_lookup, tokens=tokens, clock=clock, keys=authenticate_key
    )
    bootstrap_admin = providers.Factory(
        BootstrapAdmin, uow=uow, hasher=hasher, clock=clock, ids=ids, policy=policy, locks=locks
    )
    has_admin = providers.Factory(HasAdmin, uow=uow)
    media = providers.Singleton(FileMediaStore, root=settings.provided.media_dir)

    user_directory = providers.Singleton(SqlUserDirectory, database=database)
    stats_reader = providers.Singleton(SqlStatsReader, database=database)
    audit_reader = providers.Singleton(SqlAuditReader, database=database)
    list_users = providers.Factory(ListUsers, directory=user_directory)
    get_user = providers.Factory(GetUser, uow=uow)
    change_role = providers.Factory(ChangeRole, uow=uow, clock=clock, ids=ids, locks=locks)
    delete_user = providers.Factory(
        DeleteUser, uow=uow, media=media, clock=clock, ids=ids, locks=locks
    )
    get_stats = providers.Factory(GetStats, reader=stats_reader, clock=clock)
    list_audit = providers.Factory(ListAudit, reader=audit_reader)
