"""Auth routes: register, sign in, refresh, sign out, who am I, change password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import CurrentUser
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register_user import RegisterUser
from entrypoints.api.deps import (
    AccountCaller,
    ClientAddress,
    CurrentCaller,
    Provided,
    no_key,
)
from entrypoints.api.login_body import LOGIN_OPENAPI, login_credentials
from entrypoints.api.problems import ACCOUNT, AUTHED, documented
from entrypoints.api.schemas.auth import (
    CredentialsIn,
    PasswordChangeIn,
    RefreshIn,
    RegisterIn,
    SignedInOut,
    TokenPairOut,
    UserOut,
)

router = APIRouter(prefix="/auth", tags=["auth"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    **documented(RegisterUser, "email_taken", "forbidden", "weak_password", "invalid_email"),
)
async def register(
    body: RegisterIn, register_user: Provided[RegisterUser], client: ClientAddress
) -> UserOut:
    user = await register_user.execute(email=body.email, password=body.password, client=client)
    return UserOut.of(user)


@router.post(
    "/login",
    **documented(Authenticate, "invalid_credentials", "unsupported_media_type"),
    openapi_extra=LOGIN_OPENAPI,
)
async def login(
    response: Response,
    authenticate: Provided[Authenticate],
    client: ClientAddress,
    credentials: Annotated[CredentialsIn, Depends(login_credentials)],
) -> SignedInOut:
    pair = await authenticate.execute(
        email=credentials.email, password=credentials.password, client=client
    )
    response.headers.update(NO_STORE)
    return SignedInOut.signed_in(pair)


@router.post(
    "/refresh",
    **documented(
        RefreshTokens, "token_invalid", "token_expired", "token_revoked", "token_reused", "conflict"
    ),
)
async def refresh(
    body: RefreshIn, response: Response, refresh_tokens: Provided[RefreshTokens]
) -> TokenPairOut:
    pair = await refresh_tokens.execute(refresh_token=body.refresh_token)
    response.headers.update(NO_STORE)
    return TokenPairOut.of(pair)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(Logout, "token_invalid", "token_expired", "conflict", "key_not_allowed"),
    dependencies=[Depends(no_key)],
)
async def logout(body: RefreshIn, logout_uc: Provided[Logout]) -> Response:
    await logout_uc.execute(refresh_token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", **documented(CurrentUser, *AUTHED))
async def me(caller: CurrentCaller) -> UserOut:
    return UserOut.of(caller.user)


@router.put(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(ChangePassword, *ACCOUNT, "invalid_credentials", "weak_password", "conflict"),
)
async def change_password(
    body: PasswordChangeIn,
    caller: AccountCaller,
    change: Provided[ChangePassword],
    client: ClientAddress,
) -> Response:
    await change.execute(
        user_id=caller.user.id,
        current_password=body.current_password,
        new_password=body.new_password,
        session=caller.claims.family_id,
        client=client,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
