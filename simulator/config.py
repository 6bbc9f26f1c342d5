"""Simulator settings: the fixed `SimulatorConfig` and the runtime-switchable `Scenario`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

DEFAULT_API_KEY = "sk-or-v1-simulator"
UsageChunkStyle = Literal["2026", "2025", "docs"]
VideoIdStyle = Literal["gen-vid", "bare"]
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "fault": (str, type(None)),
    "endpoints": (tuple, type(None)),
    "latency_ms": (int,),
    "chunk_delay_ms": (int,),
    "usage_chunk": (str,),
    "relative_polling_url": (bool,),
    "video_pending_polls": (int,),
    "video_in_progress_polls": (int,),
}


@dataclass(frozen=True, slots=True)
class Scenario:
    """What every request gets unless it selects something else itself.

    `POST /__sim/scenario` replaces it at runtime; fields left out fall back to the values
    the server was started with.
    """

    fault: str | None = None
    # Path suffixes (e.g. "/chat/completions") the scenario fault applies to; None = all.
    endpoints: tuple[str, ...] | None = None
    latency_ms: int = 0
    chunk_delay_ms: int = 0
    # "2026": usage chunk repeats finish_reason (ruby_llm 2026 recordings);
    # "2025": separate usage chunk with finish_reason null (llm-openrouter 2025 recording);
    # "docs": usage chunk with "choices": [] (openrouter.md section 2).
    usage_chunk: UsageChunkStyle = "2026"
    relative_polling_url: bool = False
    video_pending_polls: int = 1
    video_in_progress_polls: int = 1

    def applies_to(self, path: str) -> bool:
        if self.endpoints is None:
            return True
        return any(path.endswith(suffix) for suffix in self.endpoints)

    def updated(self, changes: dict[str, Any]) -> Scenario:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown scenario fields: {sorted(unknown)}")
        if isinstance(changes.get("endpoints"), list):
            changes = {**changes, "endpoints": tuple(changes["endpoints"])}
        for name, value in changes.items():
            if not isinstance(value, _FIELD_TYPES[name]) or (
                isinstance(value, bool) and bool not in _FIELD_TYPES[name]
            ):
                raise ValueError(f"scenario field {name} has the wrong type")
        if changes.get("usage_chunk", "2026") not in ("2026", "2025", "docs"):
            raise ValueError("usage_chunk must be 2026, 2025 or docs")
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Start-up settings of one simulator instance."""

    api_key: str = DEFAULT_API_KEY
    scenario: Scenario = field(default_factory=Scenario)
    slow_headers_ms: int = 1500
    stall_seconds: float = 5.0
    stall_after_chunks: int = 2
    trickle_ms: int = 100  # `trickle`: one keep-alive every so often, each resetting read timers
    trickle_seconds: float = 600.0  # ... for this long before the answer goes on
    drop_after_chunks: int = 2
    error_after_chunks: int = 3
    flaky_failures: int = 2
    keepalive_comments: int = 2
    keepalive_every_chunks: int = 5
    padding_lines: int = 3
    # Images are real PNGs whose sides are the nominal OpenRouter size divided by this.
    image_downscale: int = 16
    # When set, a chat request asking for more output tokens than this (or sending no
    # max_tokens at all, which means the model's maximum) gets the 402 credits answer.
    affordable_tokens: int | None = None
    max_request_log: int = 1000
    max_video_body_bytes: int = 50 * 1024 * 1024
    video_id_style: VideoIdStyle = "gen-vid"
    user_id: str = "user_2simulatorAAAAAAAAAAAAAAAA"
