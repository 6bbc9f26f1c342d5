"""World: one fake per port and a builder per use case (style.md Pattern 8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.media.images import PillowImageInspector
from adapters.media.upload import PillowImageSanitizer
from adapters.media.videos import HeaderVideoInspector
from adapters.security.throttle import InMemoryLoginThrottle
from adapters.security.tokens import JwtTokenIssuer
from application.admin.bootstrap_admin import BootstrapAdmin
from application.admin.change_role import ChangeRole
from application.admin.delete_user import DeleteUser
from application.auth.authenticate import Authenticate
from application.auth.change_password import ChangePassword
from application.auth.current_user import CurrentUser
from application.auth.logout import Logout
from application.auth.refresh_tokens import RefreshTokens
from application.auth.register_user import RegisterUser
from application.auth.tokens import TokenPair
from application.generation.advance_video_jobs import AdvanceVideoJobs
from application.generation.delete_generation import DeleteGeneration
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.get_generation import GetGeneration
from application.generation.get_video import GetVideo
from application.generation.list_generations import ListGenerations
from application.generation.list_models import ListModels
from application.generation.list_video_models import ListVideoModels
from application.generation.model_cache import ModelCache
from application.generation.open_media import OpenMedia
from application.generation.recording import UnitOfWorkRecorder
from application.generation.stream_text import StreamText
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from application.locks import KeyedLocks
from application.ports.auth import LoginThrottle
from domain.users import PasswordPolicy
from domain.video_jobs import VideoTiming
from tests.fake_gateway import (
    FakeAddressResolver,
    FakeAIGateway,
    FakeHistoryReader,
    FakeMediaStore,
    FakeVideoGateway,
)
from tests.fakes import (
    FakeClock,
    FakeIdGenerator,
    FakePasswordHasher,
    FakeUnitOfWork,
    FakeUserLookup,
)

SECRET = "unit-test-signing-key-that-is-long-enough"
PASSWORD = "correct horse battery staple"
COMMON = frozenset({"password1234", "iloveyou123"})


@dataclass
class World:
    clock: FakeClock = field(default_factory=lambda: FakeClock(datetime(2026, 1, 1, tzinfo=UTC)))
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    hasher: FakePasswordHasher = field(default_factory=FakePasswordHasher)
    ids: FakeIdGenerator = field(default_factory=FakeIdGenerator)
    tokens: JwtTokenIssuer = field(default_factory=lambda: JwtTokenIssuer(secret=SECRET))
    throttle: LoginThrottle = field(
        default_factory=lambda: InMemoryLoginThrottle(
            limits={"account": 5, "client": 20}, window_s=900
        )
    )
    policy: PasswordPolicy = field(default_factory=lambda: PasswordPolicy(common=COMMON))
    grace: timedelta = timedelta(seconds=10)
    family_lifetime: timedelta = timedelta(days=14)
    registration_open: bool = True
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    gateway: FakeAIGateway = field(default_factory=FakeAIGateway)
    media: FakeMediaStore = field(default_factory=FakeMediaStore)
    model_cache: ModelCache = field(default_factory=ModelCache)
    video_gateway: FakeVideoGateway = field(default_factory=FakeVideoGateway)
    resolver: FakeAddressResolver = field(default_factory=FakeAddressResolver)
    timing: VideoTiming = field(default_factory=VideoTiming)

    def register(self) -> RegisterUser:
        return RegisterUser(
            self.uow,
            self.hasher,
            self.clock,
            self.ids,
            self.policy,
            self.throttle,
            self.registration_open,
        )

    def authenticate(self) -> Authenticate:
        return Authenticate(
            self.uow,
            self.hasher,
            self.tokens,
            self.clock,
            self.ids,
            self.throttle,
            self.family_lifetime,
            self.locks,
        )

    def refresh_tokens(self) -> RefreshTokens:
        return RefreshTokens(self.uow, self.tokens, self.clock, self.ids, self.grace, self.locks)

    def logout(self) -> Logout:
        return Logout(self.uow, self.tokens, self.clock, self.locks)

    def change_password(self) -> ChangePassword:
        return ChangePassword(
            self.uow, self.hasher, self.clock, self.ids, self.policy, self.locks, self.throttle
        )

    def current_user(self) -> CurrentUser:
        return CurrentUser(FakeUserLookup(self.uow), self.tokens, self.clock)

    def bootstrap_admin(self) -> BootstrapAdmin:
        return BootstrapAdmin(self.uow, self.hasher, self.clock, self.ids, self.policy, self.locks)

    def generate_text(self) -> GenerateText:
        return GenerateText(UnitOfWorkRecorder(self.uow), self.gateway, self.clock, self.ids)

    def stream_text(self) -> StreamText:
        return StreamText(UnitOfWorkRecorder(self.uow), self.gateway, self.clock, self.ids)

    def generate_image(self) -> GenerateImage:
        return GenerateImage(
            UnitOfWorkRecorder(self.uow),
            self.gateway,
            self.media,
            PillowImageInspector(),
            self.clock,
            self.ids,
        )

    def list_generations(self) -> ListGenerations:
        return ListGenerations(FakeHistoryReader(self.uow))

    def get_generation(self) -> GetGeneration:
        return GetGeneration(self.uow)

    def delete_generation(self) -> DeleteGeneration:
        return DeleteGeneration(self.uow, self.media)

    def open_media(self) -> OpenMedia:
        return OpenMedia(self.uow, self.media)

    def list_models(self) -> ListModels:
        return ListModels(self.gateway, self.clock, self.model_cache, videos=self.list_videos())

    def list_videos(self) -> ListVideoModels:
        return ListVideoModels(self.video_gateway, self.clock, self.model_cache)

    def submit_video(self) -> SubmitVideo:
        args = (self.uow, self.video_gateway, self.list_videos(), self.clock, self.ids)
        return SubmitVideo(*args, self.timing, self.locks)

    def submit_video_from_image(self, max_upload_bytes: int = 10 << 20) -> SubmitVideoFromImage:
        return SubmitVideoFromImage(
            self.uow,
            self.video_gateway,
            self.list_videos(),
            PillowImageSanitizer(),
            self.resolver,
            self.clock,
            self.ids,
            self.timing,
            self.locks,
            max_upload_bytes,
        )

    def get_video(self) -> GetVideo:
        return GetVideo(self.uow)

    def advance_video_jobs(self) -> AdvanceVideoJobs:
        args = (self.uow, self.video_gateway, self.media, self.clock, self.ids, self.timing)
        return AdvanceVideoJobs(*args, self.locks, HeaderVideoInspector())

    def change_role(self) -> ChangeRole:
        return ChangeRole(self.uow, self.clock, self.ids, self.locks)

    def delete_user(self) -> DeleteUser:
        return DeleteUser(self.uow, self.media, self.clock, self.ids, self.locks)

    async def signed_up(self, email: str, password: str = PASSWORD) -> TokenPair:
        await self.register().execute(email=email, password=password, client="10.0.0.1")
        return await self.login(email, password)

    async def login(
        self, email: str, password: str = PASSWORD, client: str = "10.0.0.1"
    ) -> TokenPair:
        return await self.authenticate().execute(email=email, password=password, client=client)

    def live_tokens(self, family_id: str) -> list[str]:
        return [t.jti for t in self.uow.refresh_tokens.live_in_family(family_id)]
