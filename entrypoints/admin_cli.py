"""CLI actions that work on the database directly (the API must not be running)."""

from __future__ import annotations

import sys

from adapters.duckdb.database import DatabaseLockedError
from adapters.postgres.database import DatabaseUnreachableError
from domain.errors import Error
from domain.users import Role
from entrypoints import resources
from entrypoints.container import Container
from entrypoints.settings import Settings


async def create_admin(settings: Settings, email: str, password: str) -> int:
    container = Container(settings=settings)
    try:
        container.init_resources()
    except DatabaseUnreachableError as exc:
        print(f"allucanget: {exc}", file=sys.stderr)
        return 1
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
        await _close(container)
    print(f"admin {email}: {outcome.value}")
    return 0


async def list_users(settings: Settings, query: str | None) -> int:
    container = Container(settings=settings)
    if not _opened(container):
        return 1
    try:
        page = await container.list_users().execute(query=query, limit=100, offset=0)
    finally:
        await _close(container)
    for user in page.items:
        print(f"{user.id}  {user.role.value:<5}  {user.created_at:%Y-%m-%d}  {user.email}")
    print(f"({len(page.items)} of {page.total})")
    return 0


async def set_role(settings: Settings, email: str, role: str) -> int:
    """Recovery: works on the database directly, as the CLI (no admin session needed)."""
    container = Container(settings=settings)
    if not _opened(container):
        return 1
    try:
        page = await container.list_users().execute(query=email, limit=100, offset=0)
        match = [u for u in page.items if u.email == email.strip().lower()]
        if not match:
            print(f"allucanget: no user {email}", file=sys.stderr)
            return 1
        await container.change_role().execute(actor_id="cli", user_id=match[0].id, role=Role(role))
    except Error as exc:
        print(f"allucanget: {exc.detail or exc.code}", file=sys.stderr)
        return 1
    finally:
        await _close(container)
    print(f"{email}: {role}")
    return 0


def _opened(container: Container) -> bool:
    try:
        container.init_resources()
    except DatabaseUnreachableError as exc:
        print(f"allucanget: {exc}", file=sys.stderr)
        return False
    except DatabaseLockedError as exc:
        print(f"allucanget: {exc}. Stop the API first.", file=sys.stderr)
        return False
    return True


async def _close(container: Container) -> None:
    await resources.close_pool(container.database())  # PostgreSQL's, in this event loop
    container.shutdown_resources()
