"""Mutable state of one simulator: scenario, fault counters, request log, jobs, generations."""

from __future__ import annotations

import json
import random
import string
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from simulator.config import Scenario, SimulatorConfig

_ALPHANUMERIC = string.ascii_letters + string.digits


def random_token(length: int = 20) -> str:
    return "".join(random.choices(_ALPHANUMERIC, k=length))


def generation_id(prefix: str = "gen") -> str:
    return f"{prefix}-{int(time.time())}-{random_token()}"


@dataclass(slots=True)
class LoggedRequest:
    """One received request, as `GET /__sim/requests` reports it."""

    seq: int
    method: str
    path: str
    query: str
    headers: dict[str, str]
    auth_matched: bool | None
    body: bytearray = field(default_factory=bytearray)
    status: int | None = None
    fault: str | None = None

    def as_dict(self) -> dict[str, Any]:
        parsed: Any = None
        try:
            parsed = json.loads(self.body) if self.body else None
        except ValueError:
            parsed = None
        return {
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "auth_matched": self.auth_matched,
            "json": parsed,
            "body_bytes": len(self.body),
            "status": self.status,
            "fault": self.fault,
        }


@dataclass(slots=True)
class VideoJob:
    """A submitted video job; each poll moves it one step towards its scripted outcome."""

    id: str
    generation_id: str
    model: str
    outcome: str
    pending_polls: int
    in_progress_polls: int
    relative_url: bool
    content_fault: bool
    cost: float
    polls: int = 0

    def status(self) -> str:
        if self.polls <= self.pending_polls:
            return "pending"
        if self.polls <= self.pending_polls + self.in_progress_polls:
            return "in_progress"
        return self.outcome


@dataclass(slots=True)
class GenerationRecord:
    """Data for `GET /generation?id=`, which answers 404 on the first look-up."""

    data: dict[str, Any]
    lookups: int = 0


class SimState:
    """Everything that changes while the simulator runs. Only the event loop touches it."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.scenario: Scenario = config.scenario
        self.counters: dict[str, int] = {}
        self.log: deque[LoggedRequest] = deque(maxlen=config.max_request_log)
        self.videos: dict[str, VideoJob] = {}
        self.generations: dict[str, GenerationRecord] = {}
        self.usage_total = 0.0
        self._seq = 0

    def reset(self) -> None:
        self.scenario = self.config.scenario
        self.counters.clear()
        self.log.clear()
        self.videos.clear()
        self.generations.clear()
        self.usage_total = 0.0

    def set_scenario(self, changes: dict[str, Any]) -> Scenario:
        self.scenario = self.config.scenario.updated(changes)
        return self.scenario

    def count(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def record_request(
        self, method: str, path: str, query: str, headers: dict[str, str], auth: bool | None
    ) -> LoggedRequest:
        self._seq += 1
        entry = LoggedRequest(self._seq, method, path, query, headers, auth)
        self.log.append(entry)
        return entry

    def record_generation(self, gen_id: str, data: dict[str, Any], cost: float) -> None:
        self.usage_total += cost
        self.generations[gen_id] = GenerationRecord(data)
