"""FastAPI dependencies: the only place routes meet the container, plus the caller."""

from typing import Annotated

from fastapi import Depends, Request

from adapters.duckdb.database import Database
from adapters.openrouter.gateway import OpenRouterGateway
from application.admin.bootstrap_admin import BootstrapAdmin
from application.admin.change_role import ChangeRole
from application.admin.delete_user import DeleteUser
from application.admin.get_stats import GetStats
from application.admin.get_user import GetUser
from application.admin.list_audit import ListAudit
from application.admin.list_users import ListUsers
from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import Caller
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register_user import RegisterUser
from application.errors import ForbiddenError, NotAuthenticatedError
from application.generation.delete_generation import DeleteGeneration
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.get_generation import GetGeneration
from application.generation.get_video import GetVideo
from application.generation.list_generations import ListGenerations
from application.generation.list_models import ListModels
from application.generation.list_video_models import ListVideoModels
from application.generation.open_media import OpenMedia
from application.generation.stream_text import StreamText
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from domain.errors import TokenInvalidError
from entrypoints.api.client_address import client_address
from entrypoints.api.metrics import ApiMetrics
from entrypoints.container import Container
from entrypoints.settings import Settings

MAX_AUTHORIZATION = 4096  # security.md #17: hostile headers get 401, never 5xx


def _container(request: Request) -> Container:
    """The app's container. Providers are called directly rather than wired in with
    `Depends(Provide[...])`: FastAPI runs that marker as a sync dependency, one thread-pool
    hop per dependency per request (the benchmarks found /auth/me at 0.18x a bare hello)."""
    container: Container = request.app.state.container
    return container


async def _register(request: Request) -> RegisterUser:
    return _container(request).register_user()


async def _authenticate(request: Request) -> Authenticate:
    return _container(request).authenticate()


async def _refresh(request: Request) -> RefreshTokens:
    return _container(request).refresh_tokens()


async def _logout(request: Request) -> Logout:
    return _container(request).logout()


async def _change_password(request: Request) -> ChangePassword:
    return _container(request).change_password()


async def _bootstrap(request: Request) -> BootstrapAdmin:
    return _container(request).bootstrap_admin()


async def _generate_text(request: Request) -> GenerateText:
    return _container(request).generate_text()


async def _stream_text(request: Request) -> StreamText:
    return _container(request).stream_text()


async def _generate_image(request: Request) -> GenerateImage:
    return _container(request).generate_image()


async def _list_models(request: Request) -> ListModels:
    return _container(request).list_models()


async def _list_history(request: Request) -> ListGenerations:
    return _container(request).list_history()


async def _get_generation(request: Request) -> GetGeneration:
    return _container(request).get_generation()


async def _delete_generation(request: Request) -> DeleteGeneration:
    return _container(request).delete_generation()


async def _open_media(request: Request) -> OpenMedia:
    return _container(request).open_media()


async def _list_users(request: Request) -> ListUsers:
    return _container(request).list_users()


async def _get_user(request: Request) -> GetUser:
    return _container(request).get_user()


async def _change_role(request: Request) -> ChangeRole:
    return _container(request).change_role()


async def _delete_user(request: Request) -> DeleteUser:
    return _container(request).delete_user()


async def _get_stats(request: Request) -> GetStats:
    return _container(request).get_stats()


async def _list_audit(request: Request) -> ListAudit:
    return _container(request).list_audit()


async def _submit_video(request: Request) -> SubmitVideo:
    return _container(request).submit_video()


async def _submit_video_from_image(request: Request) -> SubmitVideoFromImage:
    return _container(request).submit_video_from_image()


async def _get_video(request: Request) -> GetVideo:
    return _container(request).get_video()


async def _list_video_models(request: Request) -> ListVideoModels:
    return _container(request).list_video_models()


async def _settings(request: Request) -> Settings:
    return _container(request).settings()


RegisterUserDep = Annotated[RegisterUser, Depends(_register)]
AuthenticateDep = Annotated[Authenticate, Depends(_authenticate)]
RefreshTokensDep = Annotated[RefreshTokens, Depends(_refresh)]
LogoutDep = Annotated[Logout, Depends(_logout)]
ChangePasswordDep = Annotated[ChangePassword, Depends(_change_password)]
SettingsDep = Annotated[Settings, Depends(_settings)]
ListUsersDep = Annotated[ListUsers, Depends(_list_users)]
GetUserDep = Annotated[GetUser, Depends(_get_user)]
ChangeRoleDep = Annotated[ChangeRole, Depends(_change_role)]
DeleteUserDep = Annotated[DeleteUser, Depends(_delete_user)]
GetStatsDep = Annotated[GetStats, Depends(_get_stats)]
ListAuditDep = Annotated[ListAudit, Depends(_list_audit)]
GenerateTextDep = Annotated[GenerateText, Depends(_generate_text)]
StreamTextDep = Annotated[StreamText, Depends(_stream_text)]
GenerateImageDep = Annotated[GenerateImage, Depends(_generate_image)]
ListModelsDep = Annotated[ListModels, Depends(_list_models)]
ListHistoryDep = Annotated[ListGenerations, Depends(_list_history)]
GetGenerationDep = Annotated[GetGeneration, Depends(_get_generation)]
DeleteGenerationDep = Annotated[DeleteGeneration, Depends(_delete_generation)]
OpenMediaDep = Annotated[OpenMedia, Depends(_open_media)]
SubmitVideoDep = Annotated[SubmitVideo, Depends(_submit_video)]
SubmitVideoFromImageDep = Annotated[SubmitVideoFromImage, Depends(_submit_video_from_image)]
GetVideoDep = Annotated[GetVideo, Depends(_get_video)]
ListVideoModelsDep = Annotated[ListVideoModels, Depends(_list_video_models)]


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
    current_user = _container(request).current_user()  # not a sub-dependency: one less level
    caller = await current_user.execute(access_token=bearer_token(request))
    request.state.user_id = caller.user.id
    return caller


async def _admin(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    if not caller.user.is_admin:  # the stored role decides, not the token's claim
        raise ForbiddenError("This needs the admin role.")
    return caller


async def _client(request: Request, settings: SettingsDep) -> str:
    return client_address(request, settings.trusted_proxies)


CurrentCaller = Annotated[Caller, Depends(_caller)]
AdminCaller = Annotated[Caller, Depends(_admin)]
ClientAddress = Annotated[str, Depends(_client)]


async def _database(request: Request) -> Database:
    return _container(request).database()


DatabaseDep = Annotated[Database, Depends(_database)]


async def _metrics(request: Request) -> ApiMetrics:
    return _container(request).metrics()


MetricsDep = Annotated[ApiMetrics, Depends(_metrics)]


async def _openrouter(request: Request) -> OpenRouterGateway:
    return _container(request).openrouter()


OpenRouterDep = Annotated[OpenRouterGateway, Depends(_openrouter)]
