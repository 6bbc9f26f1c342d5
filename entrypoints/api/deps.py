"""FastAPI dependencies: the only place routes meet the container, plus the caller."""

from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request

from adapters.duckdb.database import Database
from adapters.openrouter.gateway import OpenRouterGateway
from application.admin.bootstrap_admin import BootstrapAdmin
from application.admin.manage_users import ChangeRole, DeleteUser, GetUser, ListUsers
from application.admin.observe import GetStats, ListAudit
from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import Caller, CurrentUser
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register import RegisterUser
from application.errors import ForbiddenError, NotAuthenticatedError
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.get_video import GetVideo
from application.generation.history import DeleteGeneration, GetGeneration, ListHistory, OpenMedia
from application.generation.list_models import ListModels
from application.generation.list_video_models import ListVideoModels
from application.generation.stream_text import StreamText
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from domain.errors import TokenInvalidError
from entrypoints.api.client_address import client_address
from entrypoints.api.metrics import ApiMetrics
from entrypoints.container import Container
from entrypoints.settings import Settings

MAX_AUTHORIZATION = 4096  # security.md #17: hostile headers get 401, never 5xx


@inject
def _register(
    uc: Annotated[RegisterUser, Depends(Provide[Container.register_user])],
) -> RegisterUser:
    return uc


@inject
def _authenticate(
    uc: Annotated[Authenticate, Depends(Provide[Container.authenticate])],
) -> Authenticate:
    return uc


@inject
def _refresh(
    uc: Annotated[RefreshTokens, Depends(Provide[Container.refresh_tokens])],
) -> RefreshTokens:
    return uc


@inject
def _logout(uc: Annotated[Logout, Depends(Provide[Container.logout])]) -> Logout:
    return uc


@inject
def _change_password(
    uc: Annotated[ChangePassword, Depends(Provide[Container.change_password])],
) -> ChangePassword:
    return uc


@inject
def _current_user(
    uc: Annotated[CurrentUser, Depends(Provide[Container.current_user])],
) -> CurrentUser:
    return uc


@inject
def _bootstrap(
    uc: Annotated[BootstrapAdmin, Depends(Provide[Container.bootstrap_admin])],
) -> BootstrapAdmin:
    return uc


@inject
def _generate_text(
    uc: Annotated[GenerateText, Depends(Provide[Container.generate_text])],
) -> GenerateText:
    return uc


@inject
def _stream_text(uc: Annotated[StreamText, Depends(Provide[Container.stream_text])]) -> StreamText:
    return uc


@inject
def _generate_image(
    uc: Annotated[GenerateImage, Depends(Provide[Container.generate_image])],
) -> GenerateImage:
    return uc


@inject
def _list_models(uc: Annotated[ListModels, Depends(Provide[Container.list_models])]) -> ListModels:
    return uc


@inject
def _list_history(
    uc: Annotated[ListHistory, Depends(Provide[Container.list_history])],
) -> ListHistory:
    return uc


@inject
def _get_generation(
    uc: Annotated[GetGeneration, Depends(Provide[Container.get_generation])],
) -> GetGeneration:
    return uc


@inject
def _delete_generation(
    uc: Annotated[DeleteGeneration, Depends(Provide[Container.delete_generation])],
) -> DeleteGeneration:
    return uc


@inject
def _open_media(uc: Annotated[OpenMedia, Depends(Provide[Container.open_media])]) -> OpenMedia:
    return uc


@inject
def _list_users(uc: Annotated[ListUsers, Depends(Provide[Container.list_users])]) -> ListUsers:
    return uc


@inject
def _get_user(uc: Annotated[GetUser, Depends(Provide[Container.get_user])]) -> GetUser:
    return uc


@inject
def _change_role(uc: Annotated[ChangeRole, Depends(Provide[Container.change_role])]) -> ChangeRole:
    return uc


@inject
def _delete_user(uc: Annotated[DeleteUser, Depends(Provide[Container.delete_user])]) -> DeleteUser:
    return uc


@inject
def _get_stats(uc: Annotated[GetStats, Depends(Provide[Container.get_stats])]) -> GetStats:
    return uc


@inject
def _list_audit(uc: Annotated[ListAudit, Depends(Provide[Container.list_audit])]) -> ListAudit:
    return uc


@inject
def _submit_video(
    uc: Annotated[SubmitVideo, Depends(Provide[Container.submit_video])],
) -> SubmitVideo:
    return uc


@inject
def _submit_video_from_image(
    uc: Annotated[SubmitVideoFromImage, Depends(Provide[Container.submit_video_from_image])],
) -> SubmitVideoFromImage:
    return uc


@inject
def _get_video(uc: Annotated[GetVideo, Depends(Provide[Container.get_video])]) -> GetVideo:
    return uc


@inject
def _list_video_models(
    uc: Annotated[ListVideoModels, Depends(Provide[Container.list_video_models])],
) -> ListVideoModels:
    return uc


@inject
def _settings(settings: Annotated[Settings, Depends(Provide[Container.settings])]) -> Settings:
    return settings


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
ListHistoryDep = Annotated[ListHistory, Depends(_list_history)]
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


async def _caller(
    request: Request,
    current_user: Annotated[CurrentUser, Depends(_current_user)],
) -> Caller:
    caller = await current_user.execute(access_token=bearer_token(request))
    request.state.user_id = caller.user.id
    return caller


async def _admin(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    if not caller.user.is_admin:  # the stored role decides, not the token's claim
        raise ForbiddenError("This needs the admin role.")
    return caller


def _client(request: Request, settings: SettingsDep) -> str:
    return client_address(request, settings.trusted_proxies)


CurrentCaller = Annotated[Caller, Depends(_caller)]
AdminCaller = Annotated[Caller, Depends(_admin)]
ClientAddress = Annotated[str, Depends(_client)]


@inject
def _database(database: Annotated[Database, Depends(Provide[Container.database])]) -> Database:
    return database


DatabaseDep = Annotated[Database, Depends(_database)]


@inject
def _metrics(metrics: Annotated[ApiMetrics, Depends(Provide[Container.metrics])]) -> ApiMetrics:
    return metrics


MetricsDep = Annotated[ApiMetrics, Depends(_metrics)]


@inject
def _openrouter(
    gateway: Annotated[OpenRouterGateway, Depends(Provide[Container.openrouter])],
) -> OpenRouterGateway:
    return gateway


OpenRouterDep = Annotated[OpenRouterGateway, Depends(_openrouter)]
