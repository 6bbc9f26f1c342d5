"""CPU per request of a server process: its utime + stime (/proc/<pid>/stat, the process and
its children) over one arm, divided by the requests it answered in that arm.

Unlike requests per second, this holds on a shared, noisy machine: time the process waits
for a core it shares does not count. Our API counts its own answers (`/metrics`): the window
runs from a settled count to the count once the requests still in flight when wrk stopped
are answered too (two or three /metrics scrapes fall inside it, well under 1 % of an arm).
Other servers are counted by wrk: its answers plus the connections in flight when it stopped
(a closed loop keeps one request in flight on each), once the server has gone idle."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from bench.procs import Proc
from bench.served import Served, settled
from bench.wrk import WrkResult

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_ms_per_request(ticks: float, requests: float, ticks_per_s: float = TICKS_PER_S) -> float:
    """Milliseconds of CPU per request; NaN when nothing was answered."""
    return ticks * 1000 / ticks_per_s / requests if requests > 0 else float("nan")


@dataclass
class CpuWindow:
    """Open before an arm's load, `close` after it. `route` (method, template): count the
    answers from the server's /metrics; None: from wrk."""

    proc: Proc
    route: tuple[str, str] | None = None
    before: Served | None = None
    after: Served | None = None
    _ticks: int = field(default=0, repr=False)

    def open(self) -> CpuWindow:
        if self.route is not None:
            self.before = settled(self.proc.url, self.route)
        self._ticks = self.proc.cpu_ticks()
        return self

    def close(self, result: WrkResult, connections: int) -> float:
        """CPU milliseconds per request answered in the window."""
        if self.route is not None:
            self.after = settled(self.proc.url, self.route)
            assert self.before is not None
            answered = self.after.total - self.before.total
        else:
            self.proc.wait_idle()
            # nothing read back: the server answered nothing we can count (NaN, no figure)
            answered = result.requests + connections if result.requests else 0
        return cpu_ms_per_request(self.proc.cpu_ticks() - self._ticks, answered)
