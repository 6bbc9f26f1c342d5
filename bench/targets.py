"""The figures the bench reports, each with the scenario it reads, how one round gives it,
and the target it is held to (bench.md): latency, throughput, in-flight, recording, login
storm, streaming, memory."""

from __future__ import annotations

from bench.engine_figures import ENGINE_FIGURES
from bench.figures import Compute, Figure, Round, Value


def _ratio(a: str, b: str) -> Compute:
    def fn(r: Round, _: dict[str, float]) -> Value:
        return r[a] / r[b] if r[b] else f"{b} is 0"

    return Compute(fn, (a, b))


def _difference(a: str, b: str) -> Compute:
    return Compute(lambda r, _: r[a] - r[b], (a, b))


def _added(arm: str, q: str) -> Compute:
    return _difference(f"{arm}_{q}_ms", f"direct_{q}_ms")


def _added_ratio(q: str) -> Compute:
    def fn(r: Round, _: dict[str, float]) -> Value:
        ours = r[f"ours_{q}_ms"] - r[f"direct_{q}_ms"]
        theirs = r[f"litellm_{q}_ms"] - r[f"direct_{q}_ms"]
        if ours < 0 or theirs <= 0:  # a noisy direct arm: no ratio from this round
            return f"a difference came out negative (ours {ours:.2f} ms, LiteLLM {theirs:.2f} ms)"
        return ours / theirs

    return Compute(fn, (f"ours_{q}_ms", f"litellm_{q}_ms", f"direct_{q}_ms"))


def _v1_added(mode: str, arm: str) -> Compute:
    return _difference(f"v1_{mode}_{arm}_p50_ms", f"v1_{mode}_direct_p50_ms")


def _key(name: str) -> Compute:
    return Compute(lambda r, _: r[name], (name,))


def _cpu(arm: str) -> Compute:
    def fn(r: Round, _: dict[str, float]) -> Value:
        value = r[f"{arm}_cpu_ms"]
        return value if value == value else "the server answered nothing"  # NaN

    return Compute(fn, (f"{arm}_cpu_ms",))


def _by_cpu(a: str, b: str) -> Compute:
    """`a`'s requests/s over `b`'s that one core each would give: b's CPU over a's."""

    def fn(r: Round, _: dict[str, float]) -> Value:
        ours, theirs = r[f"{a}_cpu_ms"], r[f"{b}_cpu_ms"]
        if not (ours > 0 and theirs > 0):  # NaN: an arm answered nothing
            return "no CPU per request for both arms"
        return theirs / ours

    return Compute(fn, (f"{a}_cpu_ms", f"{b}_cpu_ms"))


def _logins(r: Round, c: dict[str, float]) -> Value:
    if not c.get("single_hash_s"):
        return "no single hash time"
    return r["logins_per_s"] / (c["sut_cores"] / c["single_hash_s"])


FIGURES = [
    Figure(
        "1a",
        "Added latency p50, ours - direct",
        "latency",
        _added("ours", "p50"),
        unit="ms",
        clean=True,
    ),
    Figure(
        "1b",
        "Added latency p50, LiteLLM - direct",
        "latency",
        _added("litellm", "p50"),
        unit="ms",
        clean=True,
    ),
    Figure(
        "1c",
        "Added latency p50, ours / LiteLLM",
        "latency",
        _added_ratio("p50"),
        0.5,
        True,
        clean=True,
    ),
    Figure(
        "1d",
        "Added latency p99, ours - direct",
        "latency",
        _added("ours", "p99"),
        unit="ms",
        clean=True,
    ),
    Figure(
        "1e",
        "Added latency p99, LiteLLM - direct",
        "latency",
        _added("litellm", "p99"),
        unit="ms",
        clean=True,
    ),
    Figure(
        "1f",
        "Added latency p99, ours / LiteLLM",
        "latency",
        _added_ratio("p99"),
        0.5,
        True,
        clean=True,
    ),
    Figure("1g", "CPU per request, ours, one at a time", "latency", _cpu("ours"), unit="ms"),
    Figure("1h", "CPU per request, LiteLLM, one at a time", "latency", _cpu("litellm"), unit="ms"),
    Figure(
        "2a",
        "Throughput, ours / bare FastAPI forwarder",
        "throughput",
        _ratio("ours_rps", "bare_rps"),
        0.75,
    ),
    Figure("2b", "Throughput, ours / LiteLLM", "throughput", _ratio("ours_rps", "litellm_rps"), 3),
    Figure(
        "2c",
        "Throughput, bare forwarder / simulator alone (ceiling check)",
        "throughput",
        _ratio("bare_rps", "direct_rps"),
    ),
    Figure("2d", "Throughput, ours (requests/s)", "throughput", _key("ours_rps"), unit="req/s"),
    Figure(
        "2e",
        "Throughput, ours / simulator alone (the upstream called directly)",
        "throughput",
        _ratio("ours_rps", "direct_rps"),
    ),
    *(
        Figure(number, title, "throughput", compute, unit=unit)
        for number, title, compute, unit in (
            ("2f", "Throughput, LiteLLM (requests/s)", _key("litellm_rps"), "req/s"),
            ("2g", "Throughput, simulator alone (requests/s)", _key("direct_rps"), "req/s"),
            ("2h", "Throughput, bare forwarder (requests/s)", _key("bare_rps"), "req/s"),
            ("2i", "CPU per generation at 64 connections, ours", _cpu("ours"), "ms"),
            ("2j", "CPU per generation at 64 connections, in-memory", _cpu("memory"), "ms"),
            ("2k", "CPU per request at 64 connections, bare forwarder", _cpu("bare"), "ms"),
            ("2l", "CPU per request at 64 connections, LiteLLM", _cpu("litellm"), "ms"),
            ("2m", "CPU per request at 64 connections, simulator alone", _cpu("direct"), "ms"),
            ("2n", "Throughput by CPU, ours / LiteLLM", _by_cpu("ours", "litellm"), "x"),
            ("2o", "Throughput by CPU, ours / simulator alone", _by_cpu("ours", "direct"), "x"),
        )
    ),
    Figure("3", "GET /auth/me / bare JSON hello", "protected", _ratio("me_rps", "hello_rps"), 0.85),
    Figure(
        "3a",
        "GET /auth/me / GET /healthz of the same process",
        "protected",
        _ratio("me_rps", "healthz_rps"),
        0.9,
    ),
    *(
        Figure(number, title, "protected", compute, unit=unit)
        for number, title, compute, unit in (
            ("3b", "GET /auth/me (requests/s)", _key("me_rps"), "req/s"),
            ("3c", "GET /healthz (requests/s)", _key("healthz_rps"), "req/s"),
            ("3d", "CPU per GET /auth/me", _cpu("me"), "ms"),
            ("3e", "CPU per GET /healthz", _cpu("healthz"), "ms"),
            ("3f", "CPU per bare JSON hello", _cpu("hello"), "ms"),
        )
    ),
    Figure(
        "3g",
        "GET /auth/me / GET /healthz by CPU (/healthz's CPU per request / /auth/me's)",
        "protected",
        _by_cpu("me", "healthz"),
        0.9,
    ),
    Figure("4a", "In flight: achieved / offered", "inflight", _key("ours_achieved_ratio"), 0.95),
    Figure("4b", "In flight: success rate", "inflight", _key("ours_success"), 1.0),
    Figure("4c", "In flight: p99 / 1.5 s", "inflight", _key("ours_p99_ratio"), 1.2, True),
    Figure(
        "4d", "In flight, LiteLLM: achieved / offered", "inflight", _key("litellm_achieved_ratio")
    ),
    Figure("4e", "In flight, LiteLLM: success rate", "inflight", _key("litellm_success")),
    Figure(
        "5a",
        "Recording: DuckDB / in-memory repository",
        "throughput",
        _ratio("ours_rps", "memory_rps"),
        0.9,
    ),
    Figure(
        "5b",
        "Recording: answers without a durable row (server's count)",
        "throughput",
        _key("ours_unrecorded"),
        0,
        True,
        "rows",
    ),
    Figure(
        "6a",
        "Login storm: logins/s / (cores / single hash time)",
        "login_storm",
        Compute(_logins, ("logins_per_s",)),
        0.8,
    ),
    Figure(
        "6b",
        "Login storm: /healthz p99 during / idle",
        "login_storm",
        _ratio("healthz_storm_p99_ms", "healthz_idle_p99_ms"),
        3,
        True,
    ),
    *(
        Figure(number, title, "login_storm", _key(key), unit="ms")
        for number, title, key in (
            ("6c", "Login storm: /healthz p99 idle", "healthz_idle_p99_ms"),
            ("6d", "Login storm: /healthz p99 during the storm", "healthz_storm_p99_ms"),
        )
    ),
    Figure(
        "7a",
        "Streaming: time to first token, ours / direct",
        "streaming",
        _ratio("ours_ttft_ms", "direct_ttft_ms"),
        1.2,
        True,
    ),
    Figure(
        "7b",
        "Streaming: added gap between chunks",
        "streaming",
        _difference("ours_gap_ms", "direct_gap_ms"),
        1.0,
        True,
        "ms",
    ),
    Figure(
        "8",
        "Peak RSS under scenario 4, ours / LiteLLM",
        "inflight",
        _ratio("ours_peak_rss_mib", "litellm_peak_rss_mib"),
    ),
    Figure(
        "8a", "Peak RSS under scenario 4, ours", "inflight", _key("ours_peak_rss_mib"), unit="MiB"
    ),
    Figure(
        "8b",
        "Peak RSS under scenario 4, LiteLLM",
        "inflight",
        _key("litellm_peak_rss_mib"),
        unit="MiB",
    ),
    *(
        Figure(number, title, "v1", compute, unit=unit, clean=unit == "ms")
        for number, title, compute, unit in (
            ("9a", "/v1 added p50, ours - direct", _v1_added("plain", "ours"), "ms"),
            ("9b", "/v1 added p50, LiteLLM - direct", _v1_added("plain", "litellm"), "ms"),
            ("9c", "/v1 throughput, ours (requests/s)", _key("v1_plain_ours_rps"), "req/s"),
            ("9d", "/v1 throughput, LiteLLM (requests/s)", _key("v1_plain_litellm_rps"), "req/s"),
            ("9e", "/v1 streamed added p50, ours - direct", _v1_added("stream", "ours"), "ms"),
            (
                "9f",
                "/v1 streamed added p50, LiteLLM - direct",
                _v1_added("stream", "litellm"),
                "ms",
            ),
            ("9g", "/v1 streamed throughput, ours", _key("v1_stream_ours_rps"), "req/s"),
            ("9h", "/v1 streamed throughput, LiteLLM", _key("v1_stream_litellm_rps"), "req/s"),
        )
    ),
    Figure(
        "9i",
        "/v1 throughput, ours / LiteLLM",
        "v1",
        _ratio("v1_plain_ours_rps", "v1_plain_litellm_rps"),
    ),
    Figure(
        "9j",
        "/v1 streamed throughput, ours / LiteLLM",
        "v1",
        _ratio("v1_stream_ours_rps", "v1_stream_litellm_rps"),
    ),
    *ENGINE_FIGURES,
]
