"""The composition root: the one place that chooses an adapter for each port."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from adapters.duckdb.admin_readers import (
    DuckDBAuditReader,
    DuckDBStatsReader,
    DuckDBUserDirectory,
)
from adapters.duckdb.budget_readers import DuckDBSpendReader
from adapters.duckdb.health import DuckDBHealth
from adapters.duckdb.readers import DuckDBHistoryReader
from adapters.duckdb.recorder import DuckDBGroupRecorder
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.duckdb.users import DuckDBUserLookup
from adapters.media.images import PillowImageInspector
from adapters.media.resolver import SystemAddressResolver
from adapters.media.store import FileMediaStore
from adapters.media.videos import HeaderVideoInspector
from adapters.metrics.metered import MeteredGateway
from adapters.metrics.prometheus import ApiMetrics
from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.openrouter.video import OpenRouterVideoGateway
from adapters.security.passwords import load_common_passwords
from adapters.security.tokens import JwtTokenIssuer
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
from application.budget.budget_overview import BudgetsOf, GetBudgetOverview
from application.budget.estimate_cost import EstimateCost
from application.budget.get_budget import GetBudget
from application.budget.ledger import SpendLedger
from application.budget.reserve_spend import SpendGuard
from application.budget.set_budget import SetBudget
from application.budget.spending import GenerationSpending
from application.budget.start_budgets import StartBudgets
from application.generation.advance_video_jobs import AdvanceVideoJobs
from application.generation.delete_generation import DeleteGeneration
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.get_generation import GetGeneration
from application.generation.get_video import GetVideo
from application.generation.list_generations import ListGenerations
from application.generation.list_models import ListModels
from application.generation.list_video_models import ListVideoModels
from application.generation.model_cache import ModelCache
from application.generation.open_media import OpenMedia
from application.generation.stream_text import StreamText
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from application.locks import KeyedLocks
from domain.users import PasswordPolicy
from entrypoints import resources
from entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
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
    user_lookup = providers.Singleton(DuckDBUserLookup, database=database)
    uow = providers.Factory(DuckDBUnitOfWork, database=database)
    recorder = providers.Singleton(DuckDBGroupRecorder, database=database, locks=locks)
    health = providers.Singleton(DuckDBHealth, database=database)

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
    current_user = providers.Factory(CurrentUser, users=user_lookup, tokens=tokens, clock=clock)
    bootstrap_admin = providers.Factory(
        BootstrapAdmin, uow=uow, hasher=hasher, clock=clock, ids=ids, policy=policy, locks=locks
    )
    has_admin = providers.Factory(HasAdmin, uow=uow)

    http = providers.Singleton(make_http_client)
    metrics = providers.Singleton(ApiMetrics)
    openrouter = providers.Singleton(
        OpenRouterGateway,
        client=http,
        base_url=settings.provided.openrouter_base_url,
        api_key=settings.provided.openrouter_api_key.get_secret_value.call(),
        deadline_s=settings.provided.upstream_deadline_s,
        stream_deadline_s=settings.provided.upstream_stream_deadline_s,
    )
    gateway = providers.Singleton(MeteredGateway, inner=openrouter, counter=metrics)
    media = providers.Singleton(FileMediaStore, root=settings.provided.media_dir)
    inspector = providers.Singleton(PillowImageInspector)
    history_reader = providers.Singleton(DuckDBHistoryReader, database=database)
    model_cache = providers.Singleton(ModelCache)

    generate_text = providers.Factory(
        GenerateText, recorder=recorder, gateway=gateway, clock=clock, ids=ids
    )
    stream_text = providers.Factory(
        StreamText, recorder=recorder, gateway=gateway, clock=clock, ids=ids
    )
    generate_image = providers.Factory(
        GenerateImage,
        recorder=recorder,
        gateway=gateway,
        media=media,
        inspector=inspector,
        clock=clock,
        ids=ids,
    )
    video_gateway = providers.Singleton(
        OpenRouterVideoGateway,
        client=http,
        base_url=settings.provided.openrouter_base_url,
        api_key=settings.provided.openrouter_api_key.get_secret_value.call(),
        spool_dir=media.provided.incoming,
        deadline_s=settings.provided.upstream_deadline_s,
        download_deadline_s=settings.provided.upstream_stream_deadline_s,
    )
    list_video_models = providers.Factory(
        ListVideoModels, gateway=video_gateway, clock=clock, cache=model_cache
    )
    list_models = providers.Factory(
        ListModels, gateway=gateway, clock=clock, cache=model_cache, videos=list_video_models
    )
    list_generations = providers.Factory(ListGenerations, reader=history_reader)
    get_generation = providers.Factory(GetGeneration, uow=uow)
    delete_generation = providers.Factory(DeleteGeneration, uow=uow, media=media)
    open_media = providers.Factory(OpenMedia, uow=uow, media=media)

    video_timing = providers.Singleton(resources.video_timing, settings=settings)
    sanitizer = providers.Resource(resources.sanitizer, settings=settings)
    resolver = providers.Singleton(SystemAddressResolver)
    submit_video = providers.Factory(
        SubmitVideo,
        uow=uow,
        gateway=video_gateway,
        catalogue=list_video_models,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
    )
    submit_video_from_image = providers.Factory(
        SubmitVideoFromImage,
        uow=uow,
        gateway=video_gateway,
        catalogue=list_video_models,
        sanitizer=sanitizer,
        resolver=resolver,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
        max_upload_bytes=settings.provided.upload_max_bytes,
    )
    get_video = providers.Factory(GetVideo, uow=uow)
    video_inspector = providers.Singleton(HeaderVideoInspector)
    advance_video_jobs = providers.Factory(
        AdvanceVideoJobs,
        uow=uow,
        gateway=video_gateway,
        media=media,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
        inspector=video_inspector,
    )

    user_directory = providers.Singleton(DuckDBUserDirectory, database=database)
    stats_reader = providers.Singleton(DuckDBStatsReader, database=database)
    audit_reader = providers.Singleton(DuckDBAuditReader, database=database)
    list_users = providers.Factory(ListUsers, directory=user_directory)
    get_user = providers.Factory(GetUser, uow=uow)
    change_role = providers.Factory(ChangeRole, uow=uow, clock=clock, ids=ids, locks=locks)
    delete_user = providers.Factory(
        DeleteUser, uow=uow, media=media, clock=clock, ids=ids, locks=locks
    )
    get_stats = providers.Factory(GetStats, reader=stats_reader, clock=clock)
    list_audit = providers.Factory(ListAudit, reader=audit_reader)

    # Budgets and generation limits: every generation use case (and the video follower)
    # reserves before it calls OpenRouter and settles after (application/budget/spending).
    budget_defaults = providers.Singleton(resources.budget_defaults, settings=settings)
    generation_limiter = providers.Singleton(
        resources.generation_limiter, settings=settings, clock=clock
    )
    spend_ledger = providers.Factory(SpendLedger, uow=uow, locks=locks, defaults=budget_defaults)
    spending = providers.Factory(
        GenerationSpending,
        guard=providers.Factory(SpendGuard, ledger=spend_ledger, clock=clock, ids=ids),
        limiter=generation_limiter,
        catalogue=list_models,
    )
    for _uses_spending in (
        generate_text,
        stream_text,
        generate_image,
        submit_video,
        submit_video_from_image,
        advance_video_jobs,
    ):
        _uses_spending.add_kwargs(spending=spending)
    del _uses_spending
    spend_reader = providers.Singleton(DuckDBSpendReader, database=database)
    get_budget = providers.Factory(GetBudget, uow=uow, clock=clock, defaults=budget_defaults)
    set_budget = providers.Factory(
        SetBudget, uow=uow, clock=clock, ids=ids, locks=locks, defaults=budget_defaults
    )
    estimate_cost = providers.Factory(
        EstimateCost, spending=spending, ledger=spend_ledger, clock=clock
    )
    budget_overview = providers.Factory(
        GetBudgetOverview, reader=spend_reader, clock=clock, defaults=budget_defaults
    )
    budgets_of = providers.Factory(
        BudgetsOf, reader=spend_reader, clock=clock, defaults=budget_defaults
    )
    start_budgets = providers.Factory(
        StartBudgets,
        ledger=spend_ledger,
        reader=spend_reader,
        limiter=generation_limiter,
        clock=clock,
        abandoned_after=providers.Factory(resources.abandoned_after, settings=settings),
    )
