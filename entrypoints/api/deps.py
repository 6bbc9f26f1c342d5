"""FastAPI dependencies: the only place routes meet the container, plus the caller.

A route asks for what the container provides by its type: `register: Provided[RegisterUser]`.
The provider is found once, when the route is defined, and called directly on each request
rather than wired in with `Depends(Provide[...])`: FastAPI runs that marker as a sync
dependency, one thread-pool hop per dependency per request (the benchmarks found /auth/me
at 0.18x a bare hello). The getter here is async, so it runs on the event loop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

from dependency_injector import providers
from fastapi import Depends, Request

from application.auth.current_user import Caller
from application.errors import ForbiddenError, NotAuthenticatedError
from domain.api_keys import KeyNotAllowedError, looks_like_key
from domain.errors import TokenInvalidError
from entrypoints.api.client_address import client_address
from entrypoints.container import Container
from entrypoints.settings import Settings

T = TypeVar("T")
MAX_AUTHORIZATION = 4096  # security.md #17: hostile headers get 401, never 5xx


def provider_name(kind: type) -> str:
    """The one provider of the container that gives a `kind`, by the class it makes."""
    names = [
        name
        for name, provider in Container.providers.items()
        if getattr(provider, "instance_of", None) is kind
        or (
            isinstance(provider, providers.Factory | providers.Singleton)
            and provider.provides is kind
        )
    ]
    if len(names) != 1:
        raise LookupError(f"The container has {len(names)} providers of {kind.__name__}.")
    return names[0]


@cache
def _getter(kind: type) -> Callable[[Request], Awaitable[Any]]:
    name = provider_name(kind)

    async def provided(request: Request) -> Any:
        return getattr(request.app.state.container, name)()

    provided.__name__ = f"provided_{name}"
    return provided


if TYPE_CHECKING:  # to mypy `Provided[X]` is an X
    Provided: TypeAlias = Annotated[T, "provided by the container"]
else:

    class Provided:
        """`Provided[X]`: the X the container provides, as an async dependency."""

        def __class_getitem__(cls, kind: type) -> Any:
            return Annotated[kind, Depends(_getter(kind))]


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise NotAuthenticatedError()
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token or len(header) > MAX_AUTHORIZATION:
        raise TokenInvalidError("Send exactly one bearer token.")
    return token


async def _caller(request: Request) -> Caller:
    container: Container = request.app.state.container
    current_user = container.current_user()  # not a sub-dependency: one less level
    caller = await current_user.execute(access_token=bearer_token(request))
    request.state.user_id = caller.user.id
    return caller


async def _account(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    """A signed-in person: an API key is refused here, whoever's it is (403)."""
    if caller.by_key:
        raise KeyNotAllowedError()
    return caller


async def no_key(request: Request) -> None:
    """For routes without a caller (sign-out): an API key presented there is refused."""
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and looks_like_key(token.strip()):
        raise KeyNotAllowedError()


async def _admin(caller: Annotated[Caller, Depends(_account)]) -> Caller:
    if not caller.user.is_admin:  # the stored role decides, not the token's claim
        raise ForbiddenError("This needs the admin role.")
    return caller


async def _client(request: Request, settings: Provided[Settings]) -> str:
    return client_address(request, settings.trusted_proxies)


CurrentCaller = Annotated[Caller, Depends(_caller)]  # a session or an API key
AccountCaller = Annotated[Caller, Depends(_account)]  # a session only (key_not_allowed)
AdminCaller = Annotated[Caller, Depends(_admin)]
ClientAddress = Annotated[str, Depends(_client)]
