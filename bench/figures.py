"""What a figure is and how it comes from rounds: each figure is computed per round from
that round's own baseline, then summarised as the median over the rounds it could use, with the spread (lowest and
highest round). Every figure says how many rounds it stands on out of how many were run,
why each other round was dropped, and the errors its arms had in the rounds it used."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
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
