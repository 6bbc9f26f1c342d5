"""Ports of budgets: a user's budget override, the spend ledger (inside a unit of work) and
the per-user generation limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.budgets import Budget, Money, SpendTotals


class SpendState(StrEnum):
    RESERVED = "reserved"  # counts against the budget until settled or released
    SETTLED = "settled"  # `amount` is what the call cost
    RELEASED = "released"  # the call failed: counts for nothing


@dataclass(frozen=True, slots=True)
class SpendEntry:
    """One row of the ledger. It belongs to the period of `created_at` (when it was
    reserved), whenever it is settled."""

    id: str
    user_id: str
    amount: Money
    state: SpendState
    created_at: datetime
    settled_at: datetime | None = None
    generation_id: str | None = None


class BudgetRepository(Protocol):
    """Budget overrides and spend entries. Reading the totals and adding a reservation are
    separate statements: the caller makes them one decision by holding the user's owner
    lock around the transaction (application.budget.ledger), which is what keeps parallel
    reservations from overshooting. A user's rows go with them, deleted by
    GenerationRepository.delete_for_user (like their video jobs)."""

    async def get(self, user_id: str) -> Budget | None:
        """The admin's override for this user; None: the server's default applies."""
        ...

    async def set(self, user_id: str, budget: Budget | None) -> None:
        """Override the default (None: back to the default)."""
        ...

    async def totals(self, user_id: str, since: datetime) -> SpendTotals:
        """Settled and reserved amounts of the entries created at or after `since`."""
        ...

    async def add(self, entry: SpendEntry) -> None: ...
    async def get_entry(self, entry_id: str) -> SpendEntry | None: ...
    async def close(
        self, entry_id: str, state: SpendState, amount: Money | None, now: datetime
    ) -> bool:
        """Settle or release a reserved entry (`amount` None keeps it); False when the entry
        is not reserved any more (already closed, or gone with its user)."""
        ...

    async def open_before(self, before: datetime) -> list[SpendEntry]:
        """Reservations still open that were made before `before` (the start-up sweep)."""
        ...


class BudgetLookup(Protocol):
    """The per-request read of a user's override, as committed now (outside any unit of
    work): every generation asks it whether the user's budget is limited."""

    async def get(self, user_id: str) -> Budget | None: ...


@dataclass(frozen=True, slots=True)
class LimitedSpend:
    """One user with a limited budget, and their spend in its current period."""

    user_id: str
    email: str
    budget: Budget
    totals: SpendTotals


@dataclass(frozen=True, slots=True)
class SpendOverview:
    spent: Money  # settled spend of all users in [since, until)
    reserved: Money  # open reservations now
    limited_users: int
    nearest: list[LimitedSpend]  # the highest (spent + reserved) / limit first


class SpendOverviewReader(Protocol):
    """The admin's statistics on budgets (outside a unit of work: plain reads)."""

    async def overview(
        self,
        *,
        since: datetime,
        until: datetime,
        default: Budget,
        starts: dict[str, datetime],
        nearest: int,
    ) -> SpendOverview:
        """`starts`: the current period's first instant for each period name."""
        ...

    async def open_video_jobs(self) -> list[tuple[str, str]]:
        """(user id, job id) of every video job not yet finished (seeding the limiter)."""
        ...

    async def totals_of(
        self, user_ids: list[str], default: Budget, starts: dict[str, datetime]
    ) -> dict[str, tuple[Budget, SpendTotals]]:
        """Each user's budget and this period's spend, in one read (a page of users)."""
        ...


class GenerationLimiter(Protocol):
    """Per user: at most `per_minute` generation requests started in any sliding 60 s
    window, at most `max_concurrent` in flight, and video jobs in progress apart, up to
    `max_active_video_jobs`. Beyond, RateLimitedError (429 with Retry-After); a refused
    request takes no slot. In memory for the embedded DuckDB (one API process); rows in the
    database for PostgreSQL, so that the limits hold across every API process."""

    async def acquire(self, user_id: str) -> None:
        """Take one of the user's slots for one request (a stream until it ends)."""
        ...

    async def free(self, user_id: str) -> None:
        """Give back one slot this process took for the user."""
        ...

    async def video_job_started(self, user_id: str, job_id: str) -> None:
        """Count a job from before its submit (the same job twice counts once)."""
        ...

    async def video_job_ended(self, user_id: str, job_id: str) -> None: ...

    async def seed_video_jobs(self, jobs: Iterable[tuple[str, str]]) -> None:
        """At start-up: the (user id, job id) of the jobs still in progress in the store."""
        ...

    async def in_flight(self, user_id: str) -> int: ...
    async def active_video_jobs(self, user_id: str) -> int: ...
