"""Figures from rounds: each figure is computed per round from that round's own baseline,
then summarised as the median over rounds with the spread (lowest and highest round)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Round = dict[str, float]


@dataclass(frozen=True, slots=True)
class Figure:
    number: str
    name: str
    scenario: str
    compute: Callable[[Round, dict[str, float]], float | None]
    target: float | None = None
    at_most: bool = False  # the target is a ceiling rather than a floor
    unit: str = "x"

    def summary(self, rounds: list[Round], context: dict[str, float]) -> dict[str, Any] | None:
        values = [v for r in rounds if (v := self.compute(r, context)) is not None]
        if not values:
            return None
        median = statistics.median(values)
        met = None
        if self.target is not None:
            met = median <= self.target if self.at_most else median >= self.target
        return {
            "number": self.number, "name": self.name, "unit": self.unit, "median": median,
            "min": min(values), "max": max(values), "rounds": values,
            "target": self.target, "at_most": self.at_most, "met": met,
        }  # fmt: skip


def _get(r: Round, *keys: str) -> list[float] | None:
    return [r[k] for k in keys] if all(k in r for k in keys) else None


def _ratio(a: str, b: str) -> Callable[[Round, dict[str, float]], float | None]:
    def compute(r: Round, _: dict[str, float]) -> float | None:
        got = _get(r, a, b)
        return got[0] / got[1] if got and got[1] else None

    return compute


def _added(arm: str, q: str) -> Callable[[Round, dict[str, float]], float | None]:
    def compute(r: Round, _: dict[str, float]) -> float | None:
        got = _get(r, f"{arm}_{q}_ms", f"direct_{q}_ms")
        return got[0] - got[1] if got else None

    return compute


def _added_ratio(q: str) -> Callable[[Round, dict[str, float]], float | None]:
    def compute(r: Round, c: dict[str, float]) -> float | None:
        ours, theirs = _added("ours", q)(r, c), _added("litellm", q)(r, c)
        if ours is None or theirs is None or ours < 0 or theirs <= 0:
            return None  # a noisy direct arm made a difference negative: no ratio this round
        return ours / theirs

    return compute


def _key(name: str) -> Callable[[Round, dict[str, float]], float | None]:
    return lambda r, _: r.get(name)


def _logins(r: Round, c: dict[str, float]) -> float | None:
    if "logins_per_s" not in r or not c.get("single_hash_s"):
        return None
    return r["logins_per_s"] / (c["sut_cores"] / c["single_hash_s"])


def _gap(r: Round, _: dict[str, float]) -> float | None:
    got = _get(r, "ours_gap_ms", "direct_gap_ms")
    return got[0] - got[1] if got else None


FIGURES = [
    Figure("1a", "Added latency p50, ours - direct", "latency", _added("ours", "p50"), unit="ms"),
    Figure("1b", "Added latency p50, LiteLLM - direct", "latency", _added("litellm", "p50"), unit="ms"),
    Figure("1c", "Added latency p50, ours / LiteLLM", "latency", _added_ratio("p50"), 0.5, True),
    Figure("1d", "Added latency p99, ours - direct", "latency", _added("ours", "p99"), unit="ms"),
    Figure("1e", "Added latency p99, LiteLLM - direct", "latency", _added("litellm", "p99"), unit="ms"),
    Figure("1f", "Added latency p99, ours / LiteLLM", "latency", _added_ratio("p99"), 0.5, True),
    Figure("2a", "Throughput, ours / bare FastAPI forwarder", "throughput", _ratio("ours_rps", "bare_rps"), 0.75),
    Figure("2b", "Throughput, ours / LiteLLM", "throughput", _ratio("ours_rps", "litellm_rps"), 3),
    Figure("2c", "Throughput, bare forwarder / simulator alone (ceiling check)", "throughput", _ratio("bare_rps", "direct_rps")),
    Figure("2d", "Throughput, ours (requests/s)", "throughput", _key("ours_rps"), unit="req/s"),
    Figure("3", "GET /auth/me / bare JSON hello", "protected", _ratio("me_rps", "hello_rps"), 0.85),
    Figure("4a", "In flight: achieved / offered", "inflight", _key("ours_achieved_ratio"), 0.95),
    Figure("4b", "In flight: success rate", "inflight", _key("ours_success"), 1.0),
    Figure("4c", "In flight: p99 / 1.5 s", "inflight", _key("ours_p99_ratio"), 1.2, True),
    Figure("4d", "In flight, LiteLLM: achieved / offered", "inflight", _key("litellm_achieved_ratio")),
    Figure("4e", "In flight, LiteLLM: success rate", "inflight", _key("litellm_success")),
    Figure("5a", "Recording: DuckDB / in-memory repository", "throughput", _ratio("ours_rps", "memory_rps"), 0.9),
    Figure("5b", "Recording: answers without a durable row", "throughput", _key("ours_unrecorded"), 0, True, "rows"),
    Figure("6a", "Login storm: logins/s / (cores / single hash time)", "login_storm", _logins, 0.8),
    Figure("6b", "Login storm: /healthz p99 during / idle", "login_storm", _ratio("healthz_storm_p99_ms", "healthz_idle_p99_ms"), 3, True),
    Figure("7a", "Streaming: time to first token, ours / direct", "streaming", _ratio("ours_ttft_ms", "direct_ttft_ms"), 1.2, True),
    Figure("7b", "Streaming: added gap between chunks", "streaming", _gap, 1.0, True, "ms"),
    Figure("8", "Peak RSS under scenario 4, ours / LiteLLM", "inflight", _ratio("ours_peak_rss_mib", "litellm_peak_rss_mib")),
    Figure("8a", "Peak RSS under scenario 4, ours", "inflight", _key("ours_peak_rss_mib"), unit="MiB"),
    Figure("8b", "Peak RSS under scenario 4, LiteLLM", "inflight", _key("litellm_peak_rss_mib"), unit="MiB"),
]  # fmt: skip


def summarise(results: dict[str, list[Round]], context: dict[str, float]) -> list[dict[str, Any]]:
    found = []
    for figure in FIGURES:
        summary = figure.summary(results.get(figure.scenario, []), context)
        if summary is not None:
            found.append(summary)
    return found


def _number(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("req/s", "MiB", "rows"):
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} {unit}"


def markdown(figures: list[dict[str, Any]], header: dict[str, Any]) -> str:
    lines = [
        f"Measured {header['date']} on {header['machine']}; {header['cores']}; "
        f"{header['rounds']} rounds after a warm-up, arms interleaved; median of the rounds "
        f"(lowest - highest round). LiteLLM: {header['litellm']}.",
        "",
        "| # | Figure | Median | Spread | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures:
        target = (
            ""
            if f["target"] is None
            else ("<= " if f["at_most"] else ">= ") + _number(f["target"], f["unit"])
        )
        met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
        spread = f"{_number(f['min'], f['unit'])} - {_number(f['max'], f['unit'])}"
        lines.append(f"| {f['number']} | {f['name']} | {_number(f['median'], f['unit'])} | "
                     f"{spread} | {target} | {met} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def write(out: Path, header: dict[str, Any], figures: list[dict[str, Any]], raw: Any) -> None:
    out.mkdir(parents=True, exist_ok=True)
    document = {**header, "figures": figures, "rounds_raw": raw}
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    (out / "results.md").write_text(markdown(figures, header))
