"""API key routes: one's own keys, and an admin's view of a user's keys. Managing keys
needs a signed-in person: an API key is refused here (403 key_not_allowed)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from application.keys.create_api_key import CreateApiKey
from application.keys.list_api_keys import ListApiKeys
from application.keys.list_user_api_keys import ListUserApiKeys
from application.keys.revoke_api_key import RevokeApiKey
from application.keys.revoke_user_api_key import RevokeUserApiKey
from entrypoints.api.deps import AccountCaller, AdminCaller, Provided
from entrypoints.api.problems import ACCOUNT, ADMIN, documented
from entrypoints.api.routes.auth import NO_STORE
from entrypoints.api.schemas.api_keys import ApiKeyIn, ApiKeyListOut, CreatedApiKeyOut

router = APIRouter(tags=["api keys"])


@router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    **documented(CreateApiKey, *ACCOUNT, "too_many_keys", "conflict"),
)
async def create_key(
    body: ApiKeyIn, response: Response, caller: AccountCaller, create: Provided[CreateApiKey]
) -> CreatedApiKeyOut:
    created = await create.execute(
        user_id=caller.user.id, name=body.name, expires_in_days=body.expires_in_days
    )
    response.headers.update(NO_STORE)  # the key is in this answer, and only here
    return CreatedApiKeyOut.of(created)


@router.get("/api-keys", **documented(ListApiKeys, *ACCOUNT))
async def list_keys(caller: AccountCaller, list_keys: Provided[ListApiKeys]) -> ApiKeyListOut:
    return ApiKeyListOut.of(await list_keys.execute(user_id=caller.user.id))


@router.delete(
    "/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(RevokeApiKey, *ACCOUNT, "not_found", "conflict"),
)
async def revoke_key(
    key_id: str, caller: AccountCaller, revoke: Provided[RevokeApiKey]
) -> Response:
    await revoke.execute(actor_id=caller.user.id, user_id=caller.user.id, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users/{user_id}/api-keys", **documented(ListUserApiKeys, *ADMIN, "not_found"))
async def list_user_keys(
    user_id: str, caller: AdminCaller, list_keys: Provided[ListUserApiKeys]
) -> ApiKeyListOut:
    return ApiKeyListOut.of(await list_keys.execute(user_id=user_id))


@router.delete(
    "/users/{user_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(RevokeUserApiKey, *ADMIN, "not_found", "conflict"),
)
async def revoke_user_key(
    user_id: str, key_id: str, caller: AdminCaller, revoke: Provided[RevokeUserApiKey]
) -> Response:
    await revoke.execute(actor_id=caller.user.id, user_id=user_id, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
