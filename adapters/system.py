"""The real clock and id generator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from application.ports.system import Clock, IdGenerator


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidGenerator(IdGenerator):
    def new_id(self) -> str:
        return str(uuid.uuid4())
