"""Ports: what the use cases need from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Self

from domain.audit import AuditEvent
from domain.generations import Generation, GenerationKind, Usage
from domain.media import MediaRef
from domain.tokens import RefreshToken
from domain.users import Role, User
from domain.video_jobs import VideoCapabilities, VideoJob


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class UserRepository(Protocol):
    async def get(self, user_id: str) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None: ...
    async def set_password_hash(self, user_id: str, password_hash: str) -> None: ...
    async def set_role(self, user_id: str, role: Role) -> None: ...
    async def count_admins(self) -> int: ...
    async def delete(self, user_id: str) -> None: ...


class RefreshTokenRepository(Protocol):
    async def get(self, jti: str) -> RefreshToken | None: ...
    async def add(self, token: RefreshToken) -> None: ...
    async def retire(self, jti: str, successor_jti: str) -> bool:
        """Set `replaced_by` only if the token is still live; False when another won."""
        ...

    async def revoke_family(self, family_id: str, now: datetime) -> None: ...
    async def revoke_user_families(
        self, user_id: str, now: datetime, *, keep_family: str | None = None
    ) -> None: ...

    async def delete_for_user(self, user_id: str) -> None: ...


class GenerationRepository(Protocol):
    """Generations with their media rows, written and removed together."""

    async def add(self, generation: Generation) -> None: ...
    async def get(self, generation_id: str) -> Generation | None: ...
    async def delete(self, generation_id: str) -> None: ...
    async def media(self, media_id: str) -> MediaRef | None: ...
    async def delete_for_user(self, user_id: str) -> list[MediaRef]:
        """Remove all of a user's generations (and their jobs); return their media."""
        ...


class GenerationRecorder(Protocol):
    """Writes a generation (succeeded or failed) with its media rows; when `record` returns,
    they are committed. May write several callers' generations in one transaction. The
    database adapter refuses (OwnerDeletedError) a generation whose user no longer exists;
    the caller then removes any media file it wrote."""

    async def record(self, generation: Generation) -> None: ...


class AuditLog(Protocol):
    async def add(self, event: AuditEvent) -> None: ...


class VideoJobRepository(Protocol):
    """Video jobs. Each is also the `generations` row with its id (kind video): both rows,
    and the finished video's media row, change together."""

    async def add(self, job: VideoJob) -> None:
        """The database adapter refuses (OwnerDeletedError) a job whose user no longer
        exists; the caller holds the user's owner lock (application.locks.owner_key)."""
        ...

    async def get(self, job_id: str) -> VideoJob | None: ...
    async def save(self, job: VideoJob) -> None: ...
    async def due(self, now: datetime, limit: int) -> list[VideoJob]:
        """Unfinished jobs whose next poll is due, the longest waiting first."""
        ...


class UnitOfWork(Protocol):
    """A transaction: leaving the block without `commit()` rolls everything back."""

    users: UserRepository
    refresh_tokens: RefreshTokenRepository
    generations: GenerationRepository
    audit: AuditLog
    video_jobs: VideoJobRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...


class UserLookup(Protocol):
    """The per-request read of a user (existence and current role), cheap and current."""

    async def get(self, user_id: str) -> User | None: ...


class HistoryReader(Protocol):
    """A user's generations, newest first, in keyset pages (no entity loading)."""

    async def page(
        self,
        *,
        user_id: str,
        kind: GenerationKind | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Generation]: ...


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """Where a stored media file can be streamed from (never read whole into memory)."""

    path: str
    size: int


class MediaStore(Protocol):
    """Media files, written atomically, never half-present."""

    async def save(self, ref: MediaRef, data: bytes) -> None: ...
    async def adopt(self, ref: MediaRef, source: str) -> None:
        """Move a finished temporary file (see DownloadedVideo) into the store; the source
        is gone afterwards, whether this succeeds or raises StorageUnavailableError."""
        ...

    async def discard(self, source: str) -> None:
        """Remove a temporary file that will not be adopted."""
        ...

    async def open(self, ref: MediaRef) -> StoredMedia:
        """The file to stream; NotFoundError when it is not there."""
        ...

    async def delete(self, refs: list[MediaRef]) -> None: ...


@dataclass(frozen=True, slots=True)
class ImageFacts:
    content_type: str
    width: int
    height: int


class ImageInspector(Protocol):
    def inspect(self, data: bytes) -> ImageFacts:
        """Type and size from the bytes themselves; raises InvalidImageError."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...
    async def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        """Verify (a dummy verify when `password_hash` is None); return a re-hash if due."""
        ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    role: str
    family_id: str | None
    jti: str


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    user_id: str
    jti: str
    family_id: str


class TokenIssuer(Protocol):
    access_ttl_s: int

    def issue_access(self, user: User, family_id: str, now: datetime) -> str: ...
    def read_access(self, token: str, now: datetime) -> AccessClaims: ...
    def encode_refresh(self, token: RefreshToken) -> str:
        """Deterministic: the same row always encodes to the same string."""
        ...

    def read_refresh(self, token: str, now: datetime) -> RefreshClaims: ...


@dataclass(frozen=True, slots=True)
class ThrottleSlot:
    """One password check reserved under a LoginThrottle: it counts from `reserve` on."""

    id: int
    keys: tuple[str, ...]
    account: str | None
    client: str


class LoginThrottle(Protocol):
    """Password checks counted per account and per client address in a sliding window
    (security.md #7). A check is reserved before the hash, so parallel attempts cannot get
    more checks than the limit; a reservation left behind ages out with the window."""

    def reserve(self, *, account: str | None, client: str, now: datetime) -> ThrottleSlot | int:
        """A slot under the account's key (if any) and the client's, or the seconds to wait.
        The account's key is its own for a client that signed in to it before (familiar)."""
        ...

    def fail(self, slot: ThrottleSlot) -> list[str]:
        """The check failed: the slot stays a failure. The kinds ("account", "client") that
        this failure locked."""
        ...

    def succeed(self, slot: ThrottleSlot, now: datetime) -> None:
        """The password was right: the slot is freed, the account key's failures are cleared
        and the client becomes familiar to the account. The client's failures stay."""
        ...


@dataclass(frozen=True, slots=True)
class TextRequest:
    model: str
    prompt: str
    max_tokens: int
    system: str | None = None
    temperature: float | None = None


@dataclass(frozen=True, slots=True)
class Served:
    """Who actually answered (OpenRouter may fall back to another model or provider)."""

    model: str
    provider: str | None
    upstream_id: str | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class TextResult:
    text: str
    finish_reason: str | None
    served: Served


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ImageRequest:
    model: str
    prompt: str
    aspect_ratio: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class ImageResult:
    images: tuple[GeneratedImage, ...]
    text: str | None
    served: Served


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    name: str
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    context_length: int | None = None
    pricing: dict[str, str] | None = None
    video: VideoCapabilities | None = None  # video models only


class AIGateway(Protocol):
    """OpenRouter. Every failure is one of the Upstream*/ProviderNotConfigured errors."""

    async def complete_text(self, request: TextRequest) -> TextResult: ...
    def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        """Deltas as they arrive, then exactly one TextResult (with usage) at the end."""
        ...

    async def generate_image(self, request: ImageRequest) -> ImageResult: ...
    async def list_models(self, output: str) -> list[ModelInfo]: ...
