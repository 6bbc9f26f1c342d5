"""create_app: the FastAPI application, built from settings through the container."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from entrypoints import resources
from entrypoints.api import problems
from entrypoints.api.edge import EdgeMiddleware
from entrypoints.api.metrics import MetricsMiddleware
from entrypoints.api.routes import (
    admin,
    api_keys,
    auth,
    budget,
    conversations,
    generation,
    health,
    history,
    v1,
    video,
)
from entrypoints.api.schemas.common import ProblemOut
from entrypoints.api.video_follower import VideoFollower
from entrypoints.api.video_input import MULTIPART_OVERHEAD
from entrypoints.container import Container
from entrypoints.settings import Settings

log = logging.getLogger("allucanget.api")


def create_app(settings: Settings, container: Container | None = None) -> FastAPI:
    container = container or Container(settings=settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        container.init_resources()
        await resources.open_pool(container.database())  # PostgreSQL: in this event loop
        log.info("database", extra={"engine": settings.engine, "at": settings.database_label})
        container.tokens()  # the signing key is read (or generated) now, not at first login
        await _bootstrap_admin(container, settings)
        swept = await container.start_budgets().execute()  # before the follower runs
        if swept:
            log.warning("settled %d abandoned budget reservation(s) whole", swept)
        follower = VideoFollower(container.advance_video_jobs, settings.video_poll_interval_s)
        follower.start()  # resumes unfinished video jobs: they are in the database
        app.state.video_follower = follower
        try:
            yield
        finally:
            await follower.stop()
            await container.http().aclose()
            await resources.close_pool(container.database())
            container.shutdown_resources()
            container.reset_singletons()  # a restarted app must not reuse closed clients

    app = FastAPI(
        title="allucanget API",
        version="0.1.0",
        description="Accounts, admins and AI generation behind one login.",
        lifespan=lifespan,
    )
    app.state.container = container
    problems.install(app)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(generation.router)
    app.include_router(history.router)
    app.include_router(admin.router)
    app.include_router(video.router)
    app.include_router(conversations.router)
    app.include_router(budget.router)
    app.include_router(v1.router)
    app.include_router(api_keys.router)
    upload_cap = settings.upload_max_bytes + MULTIPART_OVERHEAD
    app.add_middleware(MetricsMiddleware, metrics=container.metrics())
    app.add_middleware(EdgeMiddleware, path_caps={"/generate/video/from-image": upload_cap})
    _register_problem_schema(app)
    return app


async def _bootstrap_admin(container: Container, settings: Settings) -> None:
    """ALLUCANGET_ADMIN_EMAIL/PASSWORD create the first admin, only while none exists."""
    if not (settings.admin_email and settings.admin_password):
        return
    if await container.has_admin().execute():
        return
    outcome = await container.bootstrap_admin().execute(
        email=settings.admin_email, password=settings.admin_password.get_secret_value()
    )
    log.info("admin bootstrap", extra={"event": "authz_change", "outcome": str(outcome)})


def _register_problem_schema(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ProblemOut", ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for name, sub in (
            ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
            .get("$defs", {})
            .items()
        ):
            components.setdefault(name, sub)
        components["ProblemOut"].pop("$defs", None)
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/v1/"):  # invalid requests are OpenAI's 400 there, never 422
                for operation in operations.values():
                    operation["responses"].pop("422", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
