"""The JSON shapes of the API's auth routes (api-contract.md, Auth)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from entrypoints.web.budget import BudgetJson


class UserJson(TypedDict):
    """`GET /auth/me`, and each user of the admin's users table."""

    id: str
    email: str
    role: str
    created_at: str
    budget: NotRequired[BudgetJson]  # GET /users and GET /users/{id} (budget_contract.md)


class TokenPairJson(TypedDict):
    """`POST /auth/login` and `/auth/refresh`; a sign-in also names the user it is for."""

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int
    user: NotRequired[UserJson]
