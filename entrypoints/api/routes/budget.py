"""Budget routes: the caller's budget, an admin setting one, and the cost estimate."""

from __future__ import annotations

from fastapi import APIRouter

from application.budget.estimate_cost import EstimateCost
from application.budget.get_budget import GetBudget
from application.budget.set_budget import SetBudget
from entrypoints.api.deps import AdminCaller, CurrentCaller, Provided
from entrypoints.api.problems import ADMIN, AUTHED, documented
from entrypoints.api.schemas.budget import BudgetIn, BudgetOut, EstimateIn, EstimateOut

router = APIRouter(tags=["budget"])


@router.get("/me/budget", **documented(GetBudget, *AUTHED))
async def my_budget(caller: CurrentCaller, get: Provided[GetBudget]) -> BudgetOut:
    return BudgetOut.of(await get.execute(user_id=caller.user.id))


@router.put("/users/{user_id}/budget", **documented(SetBudget, *ADMIN, "not_found", "conflict"))
async def set_budget(
    user_id: str, body: BudgetIn, caller: AdminCaller, set_budget: Provided[SetBudget]
) -> BudgetOut:
    status = await set_budget.execute(
        actor_id=caller.user.id, user_id=user_id, limit=body.limit, period=body.period
    )
    return BudgetOut.of(status)


@router.post("/generate/estimate", **documented(EstimateCost, *AUTHED))
async def estimate(
    body: EstimateIn, caller: CurrentCaller, estimate_cost: Provided[EstimateCost]
) -> EstimateOut:
    found = await estimate_cost.execute(user_id=caller.user.id, **body.model_dump())
    return EstimateOut.of(found)
