"""The report of a run: the figures summarised over the rounds (`bench.figures`) of each
scenario, as a Markdown table with notes on every dropped round and error, and as JSON with
the raw rounds beside them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.figures import Runs
from bench.issue18 import issue_table
from bench.targets import FIGURES


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
        f"error answers of the figure's arms in the rounds used. LiteLLM: {header['litellm']}."
        + (f" In flight: {header['inflight']}." if "inflight" in header else ""),
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
    issue = issue_table(figures)
    return (
        "\n".join(lines + (["", *notes] if notes else []) + (["", issue.rstrip()] if issue else []))
        + "\n"
    )


def write(
    out: Path, header: dict[str, Any], figures: list[dict[str, Any]], results: dict[str, Runs]
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    raw = {name: runs.raw() for name, runs in results.items()}
    document = {**header, "figures": figures, "rounds_raw": raw}
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    (out / "results.md").write_text(markdown(figures, header))
