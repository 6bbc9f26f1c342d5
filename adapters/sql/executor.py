"""What the engine-neutral SQL adapters need of an engine (DuckDB or PostgreSQL).

The repositories and readers in `adapters/sql/` hold SQL that both engines run, written with
`?` placeholders; each engine's adapter package supplies a transaction-pinned `Executor`
and a `SqlDatabase` for auto-committed reads, and raises `UniqueViolationError` when an insert
breaks a unique constraint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from adapters.sql.cache import UserCache
    from adapters.sql.counts import GenerationCounts

Row = tuple[Any, ...]


class UniqueViolationError(Exception):
    """An INSERT or UPDATE broke a unique constraint (a taken email, a duplicate id)."""


class Executor(Protocol):
    """The statements of one transaction, in order, on one connection. A statement that
    returns no rows (INSERT, UPDATE, DELETE without RETURNING) answers one row: the number
    of rows it changed, as DuckDB does."""

    async def execute(self, sql: str, params: list[Any] | None = None) -> list[Row]: ...


class SqlDatabase(Protocol):
    """An engine's database as the readers and lookups see it."""

    @property
    def user_cache(self) -> UserCache: ...
    @property
    def generation_counts(self) -> GenerationCounts: ...

    async def read(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """One auto-committed read statement."""
        ...


def marks(count: int) -> str:
    """`count` placeholders for an IN list (a list parameter is DuckDB-only)."""
    return ", ".join("?" * count)


def to_db(moment: datetime | None) -> datetime | None:
    """Timestamps are stored as naive UTC (TIMESTAMP / timestamp without time zone)."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def from_db(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """A NOT NULL timestamp column, read back as an aware UTC datetime."""
    return value.replace(tzinfo=UTC)
