"""Admin routes: statistics, users, roles, deletion, the audit trail (role `admin` only)."""

from __future__ import annotations

import inspect
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from application.admin.change_role import ChangeRole
from application.admin.delete_user import DeleteUser
from application.admin.get_stats import GetStats
from application.admin.get_user import GetUser
from application.admin.list_audit import ListAudit
from application.admin.list_users import ListUsers
from domain.users import Role
from entrypoints.api.deps import (
    AdminCaller,
    ChangeRoleDep,
    DeleteUserDep,
    GetStatsDep,
    GetUserDep,
    ListAuditDep,
    ListUsersDep,
)
from entrypoints.api.problems import problem_responses
from entrypoints.api.schemas.admin import AuditEventOut, AuditPageOut, RoleIn, StatsOut, UserPageOut
from entrypoints.api.schemas.auth import UserOut
from entrypoints.api.schemas.common import DATE_TIME_HINT, DateTimeParam

router = APIRouter(tags=["admin"])
ADMIN = ("not_authenticated", "token_invalid", "token_expired", "forbidden")


@router.get("/admin/stats", responses=problem_responses(*ADMIN),
            description=inspect.getdoc(GetStats))  # fmt: skip
async def stats(
    caller: AdminCaller,
    get_stats: GetStatsDep,
    since: Annotated[DateTimeParam | None, Query(description=DATE_TIME_HINT)] = None,
    until: Annotated[DateTimeParam | None, Query(description=DATE_TIME_HINT)] = None,
) -> StatsOut:
    return StatsOut.of(await get_stats.execute(since=since, until=until))


@router.get("/admin/audit", responses=problem_responses(*ADMIN),
            description=inspect.getdoc(ListAudit))  # fmt: skip
async def audit(
    caller: AdminCaller,
    list_audit: ListAuditDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPageOut:
    page = await list_audit.execute(limit=limit, offset=offset)
    return AuditPageOut(data=[AuditEventOut.of(e) for e in page.items], total=page.total)


@router.get("/users", responses=problem_responses(*ADMIN), description=inspect.getdoc(ListUsers))
async def list_users(
    caller: AdminCaller,
    users: ListUsersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    q: Annotated[str | None, Query(max_length=320)] = None,
) -> UserPageOut:
    page = await users.execute(query=q, limit=limit, offset=offset)
    return UserPageOut(data=[UserOut.of(u) for u in page.items], total=page.total)


@router.get("/users/{user_id}", responses=problem_responses(*ADMIN, "not_found"),
            description=inspect.getdoc(GetUser))  # fmt: skip
async def get_user(user_id: str, caller: AdminCaller, get: GetUserDep) -> UserOut:
    return UserOut.of(await get.execute(user_id=user_id))


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(*ADMIN, "not_found", "last_admin", "conflict"),
               description=inspect.getdoc(DeleteUser))  # fmt: skip
async def delete_user(user_id: str, caller: AdminCaller, delete: DeleteUserDep) -> Response:
    await delete.execute(actor_id=caller.user.id, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/users/{user_id}/role",
            responses=problem_responses(*ADMIN, "not_found", "last_admin", "conflict"),
            description=inspect.getdoc(ChangeRole))  # fmt: skip
async def change_role(
    user_id: str, body: RoleIn, caller: AdminCaller, change: ChangeRoleDep
) -> UserOut:
    user = await change.execute(actor_id=caller.user.id, user_id=user_id, role=Role(body.role))
    return UserOut.of(user)
