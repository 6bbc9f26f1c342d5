"""What the container builds from the settings: the resources it closes at shutdown, and
values derived from settings."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta

from adapters.duckdb.database import Database, open_database
from adapters.media.upload import PillowImageSanitizer
from adapters.postgres.database import PgDatabase, open_pg_database
from adapters.security.passwords import LibpassPasswordHasher
from adapters.security.throttle import InMemoryLoginThrottle
from application.budget.ledger import BudgetDefaults
from application.budget.limit_generations import GenerationLimiter, GenerationLimits
from application.ports.system import Clock
from domain.video_jobs import VideoTiming
from entrypoints.settings import Settings


def database(settings: Settings) -> Iterator[Database | PgDatabase]:
    """The DuckDB file, or PostgreSQL when ALLUCANGET_DATABASE_URL is set. PostgreSQL's pool
    belongs to an event loop: `open_pool`/`close_pool` open and close it in the app's."""
    if settings.database_url is not None:
        yield open_pg_database(
            settings.database_url.get_secret_value(),
            min_size=min(2, settings.db_pool_size),
            max_size=settings.db_pool_size,
        )
        return
    duckdb = open_database(settings.database_path, settings.db_threads)
    yield duckdb
    duckdb.close()


async def open_pool(database: Database | PgDatabase) -> None:
    """Open PostgreSQL's pool in the running loop (a failure is found at start, not at the
    first request); nothing for DuckDB."""
    if isinstance(database, PgDatabase):
        await database.open()


async def close_pool(database: Database | PgDatabase) -> None:
    if isinstance(database, PgDatabase):
        await database.close()


def hasher(settings: Settings) -> Iterator[LibpassPasswordHasher]:
    hasher = LibpassPasswordHasher(
        memory_kib=settings.argon2_memory_kib,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
        threads=settings.hash_threads,
    )
    yield hasher
    hasher.close()


def video_timing(settings: Settings) -> VideoTiming:
    return VideoTiming(
        poll=timedelta(seconds=settings.video_poll_interval_s),
        max_poll=timedelta(seconds=settings.video_poll_max_interval_s),
        deadline=timedelta(seconds=settings.video_job_deadline_s),
    )


def video_lease(settings: Settings) -> timedelta:
    """How long a process holds a video job it polls: configured, else longer than any gap
    between two polls of one job (the owner claims it again before the lease lapses)."""
    if settings.video_lease_s is not None:
        return timedelta(seconds=settings.video_lease_s)
    gap = settings.video_poll_max_interval_s + settings.video_poll_interval_s
    return timedelta(seconds=max(60.0, 2 * gap))


def process_identity() -> str:
    """This API process among others (a video job lease names its holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def decode_budget(settings: Settings) -> int:
    """The configured pixel budget, else one pixel (4 bytes decoded) per 16 bytes of RAM,
    between one largest upload and one per decoding thread."""
    if settings.upload_decode_budget_pixels is not None:
        return settings.upload_decode_budget_pixels
    most = settings.upload_max_pixels
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(most, min(most * settings.upload_decode_threads, ram // 16))


def sanitizer(settings: Settings) -> Iterator[PillowImageSanitizer]:
    sanitizer = PillowImageSanitizer(
        settings.upload_max_pixels,
        threads=settings.upload_decode_threads,
        budget_pixels=decode_budget(settings),
    )
    yield sanitizer
    sanitizer.close()


def throttle(settings: Settings) -> InMemoryLoginThrottle:
    return InMemoryLoginThrottle(
        limits={
            "account": settings.login_max_failures_per_account,
            "client": settings.login_max_failures_per_address,
        },
        window_s=settings.login_window_s,
    )


def abandoned_after(settings: Settings) -> timedelta:
    """A reservation open longer than any call may take (the longest upstream deadline,
    and a video job's) was lost in a crash; doubled for a margin."""
    longest = max(
        settings.upstream_deadline_s,
        settings.upstream_stream_deadline_s,
        float(settings.video_job_deadline_s),
    )
    return timedelta(seconds=2 * longest)


def budget_defaults(settings: Settings) -> BudgetDefaults:
    return BudgetDefaults.of(settings.default_budget_usd, settings.default_budget_period)


def generation_limiter(settings: Settings, clock: Clock) -> GenerationLimiter:
    limits = GenerationLimits(
        per_minute=settings.generations_per_minute,
        max_concurrent=settings.max_concurrent_generations,
        max_active_video_jobs=settings.max_active_video_jobs,
    )
    return GenerationLimiter(limits, clock)
