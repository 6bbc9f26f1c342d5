"""Group commit for generations, engine-neutral: the generations finished while one
transaction commits are written together by the next, in one transaction.

Every caller still waits for the COMMIT that holds its own row, so a response is never sent
before its record is durable; what is shared is the commit itself (a commit flushes the
write-ahead log: one per generation capped the API; see the README's benchmarks). If a batch
fails, its generations are written one by one so that one bad row fails only its own caller.

A generation is written only if its user still exists, checked in the batch's transaction
while the owner locks of the batch's users are held (the user deletion holds them too): a
generation still in flight when its user was deleted is refused, failing only its caller.
Each engine supplies `_write_batch`: the transaction that writes a batch."""

from __future__ import annotations

import asyncio
import contextlib
from abc import abstractmethod
from typing import Any

from adapters.sql.counts import GenerationCounts
from adapters.sql.executor import to_db
from application.errors import OwnerDeletedError
from application.locks import KeyedLocks, owner_key
from application.ports.generation import GenerationRecorder
from domain.generations import Generation

MAX_BATCH = 256
_Pending = tuple[Generation, "asyncio.Future[None]"]

# What an UNLIMITED user's generation cost goes into the spend ledger in the generation's
# own transaction (application.budget.spending reserves nothing for them). A limited user's
# call has its reservation row (generation_id set) already: that one is not doubled.
SPEND_OF_GENERATIONS = """
INSERT INTO spend (id, user_id, amount, state, created_at, settled_at, generation_id)
SELECT g.id, g.user_id, CAST(g.cost AS DECIMAL(18, 9)), 'settled', g.created_at,
       g.finished_at, g.id
FROM generations g
WHERE g.id IN ({ids}) AND g.cost > 0 AND g.status = 'succeeded'
  AND NOT EXISTS (SELECT 1 FROM spend s WHERE s.generation_id = g.id OR s.id = g.id)
"""


def values(rows: int, columns: int) -> str:
    one = "(" + ", ".join(["?"] * columns) + ")"
    return ", ".join([one] * rows)


def media_params(generation: Generation) -> list[list[Any]]:
    return [
        [
            ref.id,
            ref.owner_id,
            ref.generation_id,
            ref.content_type,
            ref.size_bytes,
            ref.width,
            ref.height,
            position,
            to_db(ref.created_at),
        ]
        for position, ref in enumerate(generation.media)
    ]


def owners_sql(batch: list[Generation]) -> tuple[str, list[str]]:
    """The query for the batch's users that still exist."""
    owners = sorted({g.user_id for g in batch})
    return f"SELECT id FROM users WHERE id IN ({', '.join(['?'] * len(owners))})", owners


def spend_sql(batch: list[Generation]) -> tuple[str, list[str]] | None:
    paid = [g.id for g in batch if g.usage.cost > 0]
    if not paid:
        return None
    return SPEND_OF_GENERATIONS.format(ids=", ".join(["?"] * len(paid))), paid


class GroupCommitRecorder(GenerationRecorder):
    max_batch = MAX_BATCH

    def __init__(self, locks: KeyedLocks, counts: GenerationCounts) -> None:
        self._locks = locks
        self._counts = counts
        self._pending: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    @abstractmethod
    async def _write_batch(self, batch: list[Generation]) -> list[Generation]:
        """One transaction for the batch: the generations written (those whose user still
        exists). Raises if the transaction fails."""

    async def record(self, generation: Generation) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((generation, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # shielded: a caller that goes away does not cancel the batch others wait for
        await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._pending:
            size = self.max_batch
            batch, self._pending = self._pending[:size], self._pending[size:]
            try:
                written = await self._commit([generation for generation, _ in batch])
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch, error)
                    continue
                for one in batch:  # find the bad row; the others are still written
                    await self._commit_alone(one)
            else:
                _settle(batch, written)

    async def _commit_alone(self, one: _Pending) -> None:
        try:
            written = await self._commit([one[0]])
        except Exception as error:
            _fail([one], error)
        else:
            _settle([one], written)

    async def _commit(self, batch: list[Generation]) -> set[str]:
        """The ids written; the others' users were deleted."""
        async with contextlib.AsyncExitStack() as owners:
            for owner in sorted({generation.user_id for generation in batch}):  # one order
                await owners.enter_async_context(self._locks.hold(owner_key(owner)))
            written = await self._write_batch(batch)
        self._counts.apply(((g.kind.value, g.status.value), 1) for g in written)
        return {generation.id for generation in written}


def _settle(batch: list[_Pending], written: set[str]) -> None:
    for generation, future in batch:
        if future.done():
            continue
        if generation.id in written:
            future.set_result(None)
        else:
            future.set_exception(OwnerDeletedError())


def _fail(batch: list[_Pending], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
