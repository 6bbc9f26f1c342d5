"""Video jobs under leases (several API processes): a pass claims its jobs for its process,
another process does not poll them while the lease lasts, takes them over once it lapses,
and a pass renews its leases for as long as it works."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from application.generation.advance_video_jobs import AdvanceVideoJobs
from application.ports.video import VideoPoll
from domain.video_jobs import VideoStatus
from tests.fakes import FakeUnitOfWork
from tests.unit.application.video_steps import submitted
from tests.unit.world import World

LEASE = timedelta(seconds=60)


def follower(world: World, owner: str, lease: timedelta = LEASE) -> AdvanceVideoJobs:
    return dataclasses.replace(
        world.advance_video_jobs(), owner=owner, lease=lease, lease_uow=world.uow
    )


class CountingGateway:
    """Counts the polls of each owner's follower (each gets its own wrapper)."""

    def __init__(self, world: World) -> None:
        self.inner = world.video_gateway
        self.polls = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def poll_video(self, upstream_id: str, polling_url: str | None) -> VideoPoll:
        self.polls += 1
        return await self.inner.poll_video(upstream_id, polling_url)


async def test_a_job_leased_to_one_process_is_polled_by_that_one_only(world: World) -> None:
    world.video_gateway.polls = [VideoPoll("in_progress")]
    job = await submitted(world)
    a_polls, b_polls = CountingGateway(world), CountingGateway(world)
    a = dataclasses.replace(follower(world, "a"), gateway=a_polls)  # type: ignore[arg-type]
    b = dataclasses.replace(follower(world, "b"), gateway=b_polls)  # type: ignore[arg-type]
    for _ in range(4):  # each pass: the job is due again (and its lease still runs)
        world.clock.advance(seconds=30)
        assert await a.execute() == 1
        assert await b.execute() == 0
    assert (a_polls.polls, b_polls.polls) == (4, 0)
    assert world.uow.video_jobs.leases[job.id].owner == "a"


async def test_another_process_takes_the_job_over_once_the_lease_lapsed(world: World) -> None:
    job = await submitted(world)
    world.clock.advance(seconds=5)
    a, b = follower(world, "a"), follower(world, "b")
    assert await a.execute() == 1  # in_progress; then process a dies
    world.clock.advance(seconds=30)  # due again, the lease still runs
    assert await b.execute() == 0
    world.clock.advance(seconds=30)  # the lease lapsed
    assert await b.execute() == 1
    assert world.uow.video_jobs.rows[job.id].status is VideoStatus.COMPLETED
    assert world.uow.video_jobs.leases[job.id].owner == "b"


class HeldGateway(CountingGateway):
    """A poll that waits for `release`, as a slow upstream would."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.release = asyncio.Event()

    async def poll_video(self, upstream_id: str, polling_url: str | None) -> VideoPoll:
        await self.release.wait()
        return await super().poll_video(upstream_id, polling_url)


class RenewalSignal(FakeUnitOfWork):
    """The unit of work of the renewals (sharing the world's rows): `beat` is set at each
    renewal that commits."""

    def __init__(self, shared: FakeUnitOfWork) -> None:
        self.__dict__.update(shared.__dict__)
        self.beat = asyncio.Event()

    async def commit(self) -> None:
        await super().commit()
        self.beat.set()

    async def next_beat(self) -> None:
        self.beat.clear()
        async with asyncio.timeout(10):  # a failure, not a hang, if renewals stopped
            await self.beat.wait()


async def test_a_pass_renews_its_leases_while_it_works(world: World) -> None:
    job = await submitted(world)
    world.clock.advance(seconds=5)
    held, renewals = HeldGateway(world), RenewalSignal(world.uow)
    short = timedelta(milliseconds=30)  # renewed every 10 ms of real time
    a = dataclasses.replace(
        follower(world, "a", short),
        gateway=held,  # type: ignore[arg-type]
        lease_uow=renewals,
    )
    working = asyncio.create_task(a.execute())
    await renewals.next_beat()
    world.clock.advance(seconds=1)  # long past the lease taken at the claim
    await renewals.next_beat()
    await renewals.next_beat()  # surely one that read the moved clock
    lease = world.uow.video_jobs.leases[job.id]
    assert (lease.owner, lease.until) == ("a", world.clock.now() + short)
    assert held.polls == 0  # all the while the poll was still waiting
    held.release.set()
    assert await working == 1
    assert held.polls == 1
