"""CLI actions that work on the database directly (the API must not be running)."""

from __future__ import annotations

import sys

from adapters.duckdb.database import DatabaseLockedError
from domain.errors import Error
from entrypoints.container import Container
from entrypoints.settings import Settings


async def create_admin(settings: Settings, email: str, password: str) -> int:
    container = Container(settings=settings)
    try:
        container.init_resources()
    except DatabaseLockedError as exc:
        print(
            f"allucanget: {exc}. Stop the API first, or set ALLUCANGET_ADMIN_EMAIL and "
            "ALLUCANGET_ADMIN_PASSWORD before it starts.",
            file=sys.stderr,
        )
        return 1
    try:
        outcome = await container.bootstrap_admin().execute(email=email, password=password)
    except Error as exc:
        print(f"allucanget: {exc.detail or exc.code}", file=sys.stderr)
        return 1
    finally:
        container.shutdown_resources()
    print(f"admin {email}: {outcome.value}")
    return 0
