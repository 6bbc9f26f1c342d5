"""The table of issue 18 (per-request cost), read off one run's figures: five rows of ours
against a baseline, the ratio (the median of the per-round ratios, so not always the
quotient of the two medians) and the issue's goal; then the CPU per request of the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    ours: str  # figure numbers
    baseline: str
    baseline_name: str
    ratio: str
    by_cpu: str | None  # the same ratio from CPU per request (what one core each would give)
    goal: float | None  # None: no number (the ceiling row)
    at_most: bool = False


ROWS = (
    Row("Text generation, saturation at 64 connections", "2d", "2f", "LiteLLM", "2b", "2n", 20),
    Row("Same, against the upstream called directly", "2d", "2g", "upstream", "2e", "2o", None),
    Row("Added latency p50, one request at a time", "1a", "1b", "LiteLLM", "1c", None, 0.3, True),
    Row("GET /auth/me against GET /healthz, same process", "3b", "3c", "/healthz", "3a", "3g", 0.9),
    Row("/healthz p99 during a login storm, against idle", "6d", "6c", "idle", "6b", None, 2, True),
)
# the CPU per request of the API process, under the table
CPU = (
    ("generation one at a time", "1g"),
    ("generation at 64 connections", "2i"),
    ("the same recorded in memory", "2j"),
    ("GET /auth/me", "3d"),
    ("GET /healthz", "3e"),
    ("LiteLLM one at a time", "1h"),
    ("LiteLLM at 64 connections", "2l"),
    ("bare forwarder at 64 connections", "2k"),
    ("the simulator alone at 64 connections", "2m"),
    ("bare hello", "3f"),
)


def _median(by_number: dict[str, dict[str, Any]], number: str) -> float | None:
    found = by_number.get(number)
    return None if found is None else found["median"]


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.3f}x" if value < 0.1 else f"{value:.2f}x"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:.2f} {unit}"


def _unit(by_number: dict[str, dict[str, Any]], number: str) -> str:
    found = by_number.get(number)
    return "" if found is None else str(found["unit"])


def _goal(row: Row, by_number: dict[str, dict[str, Any]]) -> tuple[str, str]:
    ratio = _median(by_number, row.ratio)
    if ratio is None and row.by_cpu is not None:
        ratio = _median(by_number, row.by_cpu)
    if row.goal is None:
        ceiling = _median(by_number, "2c")
        bare = _median(by_number, "2h")
        where = (
            "as high as Python allows; the ceiling: a bare FastAPI forwarder on the same "
            f"server reaches {_value(ceiling, 'x')} of the upstream (2c; {_value(bare, 'req/s')}"
            f", {_value(_median(by_number, '2k'), 'ms')} of CPU a request)"
        )
        return where, ""
    goal = ("<= " if row.at_most else ">= ") + _value(row.goal, "x")
    if ratio is None:
        return goal, ""
    met = ratio <= row.goal if row.at_most else ratio >= row.goal
    return goal, "yes" if met else "**no**"


def issue_table(figures: list[dict[str, Any]]) -> str:
    """The issue's table as Markdown; empty when the run has none of its figures."""
    by_number = {f["number"]: f for f in figures}
    if not any(n in by_number for row in ROWS for n in (row.ours, row.ratio)):
        return ""
    lines = [
        "Issue 18 table (per-request cost): medians of this run's rounds; the ratio is the "
        "median of the per-round ratios (figure number in brackets); by CPU: the same ratio "
        "from the CPU each server spent per request, what one core each would give (it moves "
        "much less than requests/s on a shared machine). Met: the ratio, or by CPU when the "
        "ratio is missing.",
        "",
        "| figure | ours | baseline | ratio | by CPU | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in ROWS:
        ours = _value(_median(by_number, row.ours), _unit(by_number, row.ours))
        base = _value(_median(by_number, row.baseline), _unit(by_number, row.baseline))
        ratio = _value(_median(by_number, row.ratio), "x")
        cpu_ratio = (
            ""
            if row.by_cpu is None
            else f"{_value(_median(by_number, row.by_cpu), 'x')} ({row.by_cpu})"
        )
        goal, met = _goal(row, by_number)
        lines.append(
            f"| {row.title} | {ours} ({row.ours}) | {row.baseline_name} {base} "
            f"({row.baseline}) | {ratio} ({row.ratio}) | {cpu_ratio} | {goal} | {met} |"
        )
    cpu = [
        f"{name} {_value(_median(by_number, n), 'ms')} ({n})"
        for name, n in CPU
        if _median(by_number, n) is not None
    ]
    if cpu:
        lines += [
            "",
            "CPU per request of the server process (utime + stime over the requests it "
            "answered; it moves much less than req/s on a shared machine): " + "; ".join(cpu) + ".",
        ]
    return "\n".join(lines) + "\n"
