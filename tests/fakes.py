"""In-memory fakes of every port, for fast use-case tests (they model rollback honestly)."""

from __future__ import annotations

import copy
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Self

from application.errors import EmailTakenError
from application.ports.auth import (
    PasswordHasher,
    RefreshTokenRepository,
    UserLookup,
    UserRepository,
)
from application.ports.generation import GenerationRepository
from application.ports.system import AuditLog, Clock, IdGenerator, UnitOfWork
from application.ports.video import Lease, VideoJobRepository
from domain.audit import AuditEvent
from domain.generations import Generation
from domain.media import MediaRef
from domain.tokens import RefreshToken
from domain.users import Role, User
from domain.video_jobs import VideoJob
from tests.fake_api_keys import FakeApiKeyRepository
from tests.fake_budgets import FakeBudgetRepository
from tests.fake_conversations import FakeConversationRepository


class FakeClock(Clock):
    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeIdGenerator(IdGenerator):
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        return f"id-{next(self._counter):06d}"


class FakePasswordHasher(PasswordHasher):
    """SHA-256 instead of argon2, so the suite stays fast; counts calls (security.md #6)."""

    def __init__(self) -> None:
        self.calls = 0
        self.upgrade_prefix: str | None = None  # hashes with this prefix get re-hashed

    async def hash(self, password: str) -> str:
        self.calls += 1
        return "fake$" + hashlib.sha256(password.encode()).hexdigest()

    async def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        self.calls += 1
        if password_hash is None:
            return False, None
        _, _, digest = password_hash.partition("$")
        ok = digest == hashlib.sha256(password.encode()).hexdigest()
        if ok and self.upgrade_prefix and password_hash.startswith(self.upgrade_prefix):
            self.calls -= 1
            return True, await self.hash(password)
        return ok, None


class FakeUserRepository(UserRepository):
    def __init__(self) -> None:
        self.rows: dict[str, User] = {}

    async def get(self, user_id: str) -> User | None:
        return self.rows.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    async def add(self, user: User) -> None:
        if await self.get_by_email(user.email) is not None:
            raise EmailTakenError()
        self.rows[user.id] = user

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self.rows[user_id] = replace(self.rows[user_id], password_hash=password_hash)

    async def set_role(self, user_id: str, role: Role) -> None:
        self.rows[user_id] = replace(self.rows[user_id], role=role)

    async def delete(self, user_id: str) -> None:
        self.rows.pop(user_id, None)

    async def count_admins(self) -> int:
        return sum(1 for user in self.rows.values() if user.role is Role.ADMIN)


class FakeRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self) -> None:
        self.rows: dict[str, RefreshToken] = {}

    async def get(self, jti: str) -> RefreshToken | None:
        return self.rows.get(jti)

    async def get_for_update(self, jti: str) -> RefreshToken | None:
        return self.rows.get(jti)

    async def add(self, token: RefreshToken) -> None:
        assert token.jti not in self.rows, "duplicate jti"
        self.rows[token.jti] = token

    async def retire(self, jti: str, successor_jti: str) -> bool:
        token = self.rows.get(jti)
        if token is None or not token.is_live:
            return False
        self.rows[jti] = token.retired(successor_jti)
        return True

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        for jti, token in list(self.rows.items()):
            if token.family_id == family_id and token.revoked_at is None:
                self.rows[jti] = replace(token, revoked_at=now)

    async def revoke_user_families(
        self, user_id: str, now: datetime, *, keep_family: str | None = None
    ) -> None:
        for jti, token in list(self.rows.items()):
            mine = token.user_id == user_id and token.family_id != keep_family
            if mine and token.revoked_at is None:
                self.rows[jti] = replace(token, revoked_at=now)

    async def delete_for_user(self, user_id: str) -> None:
        self.rows = {jti: t for jti, t in self.rows.items() if t.user_id != user_id}

    def live_in_family(self, family_id: str) -> list[RefreshToken]:
        return [t for t in self.rows.values() if t.family_id == family_id and t.is_live]


class FakeGenerationRepository(GenerationRepository):
    def __init__(self, budgets: FakeBudgetRepository | None = None) -> None:
        self.rows: dict[str, Generation] = {}
        self._budgets = budgets or FakeBudgetRepository()

    async def add(self, generation: Generation) -> None:
        assert generation.id not in self.rows, "duplicate generation id"
        self.rows[generation.id] = generation

    async def get(self, generation_id: str) -> Generation | None:
        return self.rows.get(generation_id)

    async def delete(self, generation_id: str) -> None:
        self.rows.pop(generation_id, None)

    async def media(self, media_id: str) -> MediaRef | None:
        found = (ref for g in self.rows.values() for ref in g.media if ref.id == media_id)
        return next(found, None)

    async def delete_for_user(self, user_id: str) -> list[MediaRef]:
        mine = [g for g in self.rows.values() if g.user_id == user_id]
        for generation in mine:
            del self.rows[generation.id]
        self._budgets.delete_for_user(user_id)
        return [ref for g in mine for ref in g.media]


class FakeAuditLog(AuditLog):
    def __init__(self) -> None:
        self.rows: list[AuditEvent] = []

    async def add(self, event: AuditEvent) -> None:
        self.rows.append(event)


class FakeVideoJobRepository(VideoJobRepository):
    """Like the DuckDB one: a job is also its generation row; a job whose generation was
    deleted is gone."""

    def __init__(self, generations: FakeGenerationRepository) -> None:
        self.rows: dict[str, VideoJob] = {}
        self._generations = generations
        self.leases: dict[str, Lease] = {}  # as PostgreSQL's lease columns
        self.renewals = 0

    async def add(self, job: VideoJob) -> None:
        assert job.id not in self.rows, "duplicate video job id"
        await self._generations.add(job.record())
        self.rows[job.id] = job

    async def get(self, job_id: str) -> VideoJob | None:
        return self.rows.get(job_id) if job_id in self._generations.rows else None

    async def save(self, job: VideoJob) -> None:
        self.rows[job.id] = job
        if job.id in self._generations.rows:
            self._generations.rows[job.id] = job.record()

    async def due(self, now: datetime, limit: int) -> list[VideoJob]:
        live = [j for j in self.rows.values() if j.id in self._generations.rows]
        due = [j for j in live if j.next_poll_at is not None and j.next_poll_at <= now]
        return sorted(due, key=lambda j: (j.next_poll_at or now, j.id))[:limit]

    async def claim(self, now: datetime, limit: int, lease: Lease) -> list[VideoJob]:
        free = [
            job for job in await self.due(now, len(self.rows)) if self._free(job.id, now, lease)
        ]
        for job in free[:limit]:
            self.leases[job.id] = lease
        return free[:limit]

    def _free(self, job_id: str, now: datetime, lease: Lease) -> bool:
        held = self.leases.get(job_id)
        return held is None or held.until <= now or held.owner == lease.owner

    async def release(self, owner: str) -> None:
        self.leases = {k: v for k, v in self.leases.items() if v.owner != owner}

    async def renew(self, job_ids: Sequence[str], lease: Lease) -> None:
        self.renewals += 1
        for job_id in job_ids:
            if job_id in self.leases and self.leases[job_id].owner == lease.owner:
                self.leases[job_id] = lease


class FakeUnitOfWork(UnitOfWork):
    users: FakeUserRepository
    refresh_tokens: FakeRefreshTokenRepository
    generations: FakeGenerationRepository
    audit: FakeAuditLog
    video_jobs: FakeVideoJobRepository
    budgets: FakeBudgetRepository
    conversations: FakeConversationRepository
    api_keys: FakeApiKeyRepository

    def __init__(self) -> None:
        self.users = FakeUserRepository()
        self.refresh_tokens = FakeRefreshTokenRepository()
        self.budgets = FakeBudgetRepository()
        self.generations = FakeGenerationRepository(self.budgets)
        self.audit = FakeAuditLog()
        self.video_jobs = FakeVideoJobRepository(self.generations)
        self.conversations = FakeConversationRepository()
        self.api_keys = FakeApiKeyRepository()
        self.commits = 0
        self._committed = False

    async def __aenter__(self) -> Self:
        self._before = copy.deepcopy(
            (self.users.rows, self.refresh_tokens.rows, self.generations.rows, self.audit.rows)
        )
        self._jobs_before = dict(self.video_jobs.rows)  # jobs are frozen: a shallow copy does
        self._budgets_before = self.budgets.snapshot()
        self._conversations_before = (
            dict(self.conversations.rows),
            dict(self.conversations.messages_by_id),
        )
        self._keys_before = self.api_keys.snapshot()
        self._committed = False
        return self

    async def commit(self) -> None:
        self._committed = True
        self.commits += 1

    async def __aexit__(self, *exc: object) -> None:
        if not self._committed:
            (self.users.rows, self.refresh_tokens.rows, self.generations.rows, self.audit.rows) = (
                self._before
            )
            self.video_jobs.rows = self._jobs_before
            self.budgets.restore(self._budgets_before)
            self.conversations.rows, self.conversations.messages_by_id = self._conversations_before
            self.api_keys.rows = self._keys_before
        self._committed = False


class FakeUserLookup(UserLookup):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: str) -> User | None:
        return self._uow.users.rows.get(user_id)
