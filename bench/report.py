"""Figures from rounds: each figure is computed per round from that round's own baseline,
then summarised as the median over the rounds it could use, with the spread (lowest and
highest round). Every figure says how many rounds it stands on out of how many were run,
why each other round was dropped, and the errors its arms had in the rounds it used."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Round = dict[str, float]
# a round's figure; a string says why this round gives none; None: its inputs are not there
Value = float | str | None


@dataclass
class Runs:
    """A scenario's rounds as run: the figures of each completed round, and the rounds that
    failed with the reason (numbers count from 1, in the order they ran)."""

    rounds: list[tuple[int, Round]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rounds) + len(self.failed)

    def raw(self) -> dict[str, Any]:
        return {
            "rounds": [{"round": n, **r} for n, r in self.rounds],
            "failed": [{"round": n, "reason": why} for n, why in self.failed],
        }


@dataclass(frozen=True, slots=True)
class Compute:
    """How a figure comes from one round, and the round's keys it reads (their arm, the part
    before the first `_`, names the error counts that go with it: `<arm>_..errors`)."""

    fn: Callable[[Round, dict[str, float]], Value]
    inputs: tuple[str, ...]

    def __call__(self, r: Round, context: dict[str, float]) -> Value:
        if not all(k in r for k in self.inputs):
            return None
        return self.fn(r, context)

    def errors(self, r: Round) -> dict[str, float]:
        arms = {k.split("_", 1)[0] + "_" for k in self.inputs}
        return {k: v for k, v in r.items() if k.endswith("errors") and k.startswith(tuple(arms))}


@dataclass(frozen=True, slots=True)
class Figure:
    number: str
    name: str
    scenario: str
    compute: Compute
    target: float | None = None
    at_most: bool = False  # the target is a ceiling rather than a floor
    unit: str = "x"
    clean: bool = False  # a round whose arms answered any error gives no figure (latencies)

    def _value(self, r: Round, context: dict[str, float]) -> Value:
        value = self.compute(r, context)
        if value is None or isinstance(value, str) or not self.clean:
            return value
        seen = {k: v for k, v in self.compute.errors(r).items() if v}
        if seen:
            return "errors in the round: " + ", ".join(f"{k}={v:g}" for k, v in seen.items())
        return value

    def summary(self, runs: Runs, context: dict[str, float]) -> dict[str, Any] | None:
        values: list[float] = []
        dropped = [{"round": n, "reason": f"round failed: {why}"} for n, why in runs.failed]
        errors: dict[str, float] = {}
        absent = 0
        for n, r in runs.rounds:
            value = self._value(r, context)
            if value is None:
                absent += 1
                dropped.append({"round": n, "reason": f"no {', '.join(self.compute.inputs)}"})
            elif isinstance(value, str):
                dropped.append({"round": n, "reason": value})
            else:
                values.append(value)
                for key, count in self.compute.errors(r).items():
                    errors[key] = errors.get(key, 0) + count
        if runs.total == 0 or (runs.rounds and absent == len(runs.rounds)):
            return None  # scenario not run, or its arm absent (LiteLLM not installed)
        median = statistics.median(values) if values else None
        met = None
        if self.target is not None and median is not None:
            met = median <= self.target if self.at_most else median >= self.target
        return {
            "number": self.number,
            "name": self.name,
            "unit": self.unit,
            "median": median,
            "min": min(values, default=None),
            "max": max(values, default=None),
            "rounds": values,
            "rounds_used": len(values),
            "rounds_total": runs.total,
            "dropped": sorted(dropped, key=lambda d: d["round"]),
            "errors": errors,
            "target": self.target,
            "at_most": self.at_most,
            "met": met,
        }


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


def _key(name: str) -> Compute:
    return Compute(lambda r, _: r[name], (name,))


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
    Figure("3", "GET /auth/me / bare JSON hello", "protected", _ratio("me_rps", "hello_rps"), 0.85),
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
]


def summarise(results: dict[str, Runs], context: dict[str, float]) -> list[dict[str, Any]]:
    found = []
    for figure in FIGURES:
        summary = figure.summary(results.get(figure.scenario, Runs()), context)
        if summary is not None:
            found.append(summary)
    return found


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("req/s", "MiB", "rows"):
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} {unit}"


def _errors(f: dict[str, Any]) -> str:
    return f"{sum(f['errors'].values()):,.0f}"


def markdown(figures: list[dict[str, Any]], header: dict[str, Any]) -> str:
    lines = [
        f"Measured {header['date']} on {header['machine']}; {header['cores']}; "
        f"{header['rounds']} rounds per scenario after a warm-up, arms interleaved; median of "
        f"the rounds a figure could use (lowest - highest round); Rounds: used / run; Errors: "
        f"error answers of the figure's arms in the rounds used. LiteLLM: {header['litellm']}.",
        "",
        "| # | Figure | Median | Spread | Rounds | Errors | Target | Met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for f in figures:
        target = (
            ""
            if f["target"] is None
            else ("<= " if f["at_most"] else ">= ") + _number(f["target"], f["unit"])
        )
        met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
        spread = f"{_number(f['min'], f['unit'])} - {_number(f['max'], f['unit'])}"
        lines.append(
            f"| {f['number']} | {f['name']} | {_number(f['median'], f['unit'])} | "
            f"{spread} | {f['rounds_used']}/{f['rounds_total']} | {_errors(f)} | "
            f"{target} | {met} |"
        )
        notes += [
            f"- {f['number']}, round {d['round']} dropped: {d['reason']}" for d in f["dropped"]
        ]
        seen = ", ".join(f"{k} {v:,.0f}" for k, v in f["errors"].items() if v)
        if seen:
            notes.append(f"- {f['number']}, errors in the rounds used: {seen}")
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


def write(
    out: Path, header: dict[str, Any], figures: list[dict[str, Any]], results: dict[str, Runs]
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    raw = {name: runs.raw() for name, runs in results.items()}
    document = {**header, "figures": figures, "rounds_raw": raw}
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    (out / "results.md").write_text(markdown(figures, header))
