"""9: the OpenAI-compatible API like for like: the same `/v1/chat/completions` request
through our API (a personal API key, `agk_...`) and through LiteLLM (its master key), not
streamed and streamed; one request at a time (added latency against the simulator called
directly) and at 64 connections (saturation throughput)."""

from __future__ import annotations

import json

from bench.arms import LITELLM_KEY, SIM_KEY
from bench.common import CHAT, JSON, Bench, bearer, rotated
from bench.wrk import Shape, run_wrk

STREAMED = json.dumps({**json.loads(CHAT), "stream": True})
MODES = {"plain": CHAT, "stream": STREAMED}
SATURATION = 64


def v1_arms(bench: Bench, body: str) -> dict[str, tuple[str, Shape]]:
    p = bench.p
    path = "/v1/chat/completions"
    arms = {
        "direct": (
            p.simulator.url,
            Shape("POST", "/api/v1/chat/completions", (JSON, bearer(SIM_KEY)), (body,)),
        ),
        "ours": (p.ours.url, Shape("POST", path, (JSON, bearer(bench.key(p.ours.url))), (body,))),
    }
    if p.litellm is not None:
        arms["litellm"] = (p.litellm.url, Shape("POST", path, (JSON, bearer(LITELLM_KEY)), (body,)))
    return arms


def round_v1(bench: Bench, n: int) -> dict[str, float]:
    """Per mode (plain, stream) and arm: p50/p99 at c=1, requests/s at c=64."""
    figures: dict[str, float] = {}
    load = bench.p.cores.load
    for mode, body in MODES.items():
        arms = v1_arms(bench, body)
        for arm in rotated(list(arms), n):
            url, shape = arms[arm]
            one = run_wrk(url, shape, connections=1, seconds=bench.s.seconds, cores=load)
            figures |= {
                f"v1_{mode}_{arm}_p50_ms": one.p50_ms,
                f"v1_{mode}_{arm}_p99_ms": one.p99_ms,
                f"v1_{mode}_{arm}_errors": one.errors,
            }
            if arm == "direct":
                continue  # the ceiling is scenario 2's; here the two proxies are compared
            many = run_wrk(url, shape, connections=SATURATION, seconds=bench.s.seconds, cores=load)
            figures |= {
                f"v1_{mode}_{arm}_rps": many.rps,
                f"v1_{mode}_{arm}_saturated_errors": many.errors,
            }
    return figures
