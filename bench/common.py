"""What every scenario shares: the request bodies, the settings, the `Bench` (a platform's
arms, tokens and keys) and the order arms run in."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from bench.arms import LITELLM_KEY, MODEL, SIM_KEY, Platform, api_key, sign_in
from bench.wrk import Shape, WrkResult, run_wrk

PROMPT = "Say something short about benchmarks."
MAX_TOKENS = 16
CHAT = json.dumps(
    {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": MAX_TOKENS}
)
OURS = json.dumps({"model": MODEL, "prompt": PROMPT, "max_tokens": MAX_TOKENS})
JSON = ("Content-Type", "application/json")


@dataclass
class Settings:
    seconds: float = 2.0  # per arm per round, closed-loop scenarios
    inflight_seconds: float = 30.0
    inflight_rps: float = 300.0
    inflight_latency_ms: int = 1500
    streams: int = 6
    storm_accounts: int = 16


def bearer(token: str) -> tuple[str, str]:
    return ("Authorization", f"Bearer {token}")


class Bench:
    """Shapes and tokens for one platform; a token is renewed well before its 15 minutes."""

    def __init__(self, platform: Platform, settings: Settings) -> None:
        self.p, self.s = platform, settings
        self._tokens: dict[str, tuple[float, str]] = {}
        self._keys: dict[str, str] = {}

    def token(self, base_url: str, email: str = "bench@example.com") -> str:
        at, token = self._tokens.get(base_url + email, (0.0, ""))
        if time.monotonic() - at > 600:
            token = sign_in(base_url, email)
            self._tokens[base_url + email] = (time.monotonic(), token)
        return token

    def key(self, base_url: str, email: str = "bench-v1@example.com") -> str:
        """A personal API key, made once per platform (keys do not lapse)."""
        if base_url + email not in self._keys:
            self._keys[base_url + email] = api_key(base_url, email)
        return self._keys[base_url + email]

    def text_arms(self) -> dict[str, tuple[str, Shape]]:
        """Arm -> (base URL, request) for one non-streamed chat answer."""
        p = self.p
        arms = {
            "direct": (
                p.simulator.url,
                Shape("POST", "/api/v1/chat/completions", (JSON, bearer(SIM_KEY)), (CHAT,)),
            ),
            "bare": (p.bare.url, Shape("POST", "/api/v1/chat/completions", (JSON,), (CHAT,))),
            "ours": (
                p.ours.url,
                Shape("POST", "/generate/text", (JSON, bearer(self.token(p.ours.url))), (OURS,)),
            ),
            "memory": (
                p.memory.url,
                Shape("POST", "/generate/text", (JSON, bearer(self.token(p.memory.url))), (OURS,)),
            ),
        }
        if p.litellm is not None:
            arms["litellm"] = (
                p.litellm.url,
                Shape("POST", "/v1/chat/completions", (JSON, bearer(LITELLM_KEY)), (CHAT,)),
            )
        return arms

    def closed(self, arm: str, connections: int, seconds: float | None = None) -> WrkResult:
        url, shape = self.text_arms()[arm]
        return run_wrk(
            url,
            shape,
            connections=connections,
            seconds=seconds or self.s.seconds,
            cores=self.p.cores.load,
        )


def rotated(arms: list[str], round_no: int) -> list[str]:
    """Each round starts with a different arm, so no arm always runs first or last."""
    shift = round_no % len(arms)
    return arms[shift:] + arms[:shift]


def _present(bench: Bench, arms: list[str]) -> list[str]:
    return [a for a in arms if a != "litellm" or bench.p.litellm is not None]
