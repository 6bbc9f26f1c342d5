"""Admin routes: statistics, users, roles, deletion, the audit trail (role `admin` only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from application.admin.change_role import ChangeRole
from application.admin.delete_user import DeleteUser
from application.admin.get_stats import GetStats
from application.admin.get_user import GetUser
from application.admin.list_audit import ListAudit
from application.admin.list_users import ListUsers
from application.budget.budget_overview import BudgetsOf, GetBudgetOverview
from application.budget.get_budget import GetBudget
from domain.users import Role
from entrypoints.api.deps import AdminCaller, Provided
from entrypoints.api.problems import ADMIN, documented
from entrypoints.api.schemas.admin import (
    AuditEventOut,
    AuditPageOut,
    RoleIn,
    StatsOut,
    UserBudgetOut,
    UserPageOut,
)
from entrypoints.api.schemas.auth import UserOut
from entrypoints.api.schemas.budget import BudgetStatsOut
from entrypoints.api.schemas.common import DATE_TIME_HINT, DateTimeParam

router = APIRouter(tags=["admin"])


@router.get("/admin/stats", **documented(GetStats, *ADMIN))
async def stats(
    caller: AdminCaller,
    get_stats: Provided[GetStats],
    budgets: Provided[GetBudgetOverview],
    since: Annotated[DateTimeParam | None, Query(description=DATE_TIME_HINT)] = None,
    until: Annotated[DateTimeParam | None, Query(description=DATE_TIME_HINT)] = None,
) -> StatsOut:
    found = await get_stats.execute(since=since, until=until)
    overview = await budgets.execute(since=found.since, until=found.until)
    return StatsOut.of(found).model_copy(update={"budgets": BudgetStatsOut.of(overview)})


@router.get("/admin/audit", **documented(ListAudit, *ADMIN))
async def audit(
    caller: AdminCaller,
    list_audit: Provided[ListAudit],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPageOut:
    page = await list_audit.execute(limit=limit, offset=offset)
    return AuditPageOut(data=[AuditEventOut.of(e) for e in page.items], total=page.total)


@router.get("/users", **documented(ListUsers, *ADMIN))
async def list_users(
    caller: AdminCaller,
    users: Provided[ListUsers],
    budgets: Provided[BudgetsOf],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    q: Annotated[str | None, Query(max_length=320)] = None,
) -> UserPageOut:
    page = await users.execute(query=q, limit=limit, offset=offset)
    found = await budgets.execute(user_ids=[user.id for user in page.items])
    data = [UserBudgetOut.with_budget(u, found[u.id]) for u in page.items if u.id in found]
    return UserPageOut(data=data, total=page.total)


@router.get(
    "/users/{user_id}",
    **documented(GetUser, *ADMIN, "not_found"),
)
async def get_user(
    user_id: str, caller: AdminCaller, get: Provided[GetUser], budget: Provided[GetBudget]
) -> UserBudgetOut:
    user = await get.execute(user_id=user_id)
    return UserBudgetOut.with_budget(user, await budget.execute(user_id=user_id))


@router.delete(
    "/users/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(DeleteUser, *ADMIN, "not_found", "last_admin", "conflict"),
)
async def delete_user(user_id: str, caller: AdminCaller, delete: Provided[DeleteUser]) -> Response:
    await delete.execute(actor_id=caller.user.id, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/users/{user_id}/role",
    **documented(ChangeRole, *ADMIN, "not_found", "last_admin", "conflict"),
)
async def change_role(
    user_id: str, body: RoleIn, caller: AdminCaller, change: Provided[ChangeRole]
) -> UserOut:
    user = await change.execute(actor_id=caller.user.id, user_id=user_id, role=Role(body.role))
    return UserOut.of(user)
