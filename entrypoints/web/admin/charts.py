"""Chart geometry for the admin dashboard, computed here and drawn as inline SVG by Jinja.

No chart library and no script: the CSP allows neither inline code nor other origins, and a
few rectangles need neither. Heights are proportional to the values, on a "nice" axis top.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from entrypoints.web.admin.types import BreakdownJson
from entrypoints.web.formatting import cost

WIDTH = 720
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 76, 8, 12, 28  # room for the axis labels ("$0.000005")
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
BASE = TOP + PLOT_H
MAX_X_LABELS = 8
ROW_H, ROW_BAR = 26, 16  # horizontal bars
LABEL_W, VALUE_W = 250, 130
MAX_LABEL = 34


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    generations: int
    failed: int
    cost: float


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    value: float
    x: float
    width: float
    y: float
    height: float
    mark_y: float  # the marked part (failed generations) sits on top of the bar
    mark_height: float
    title: str


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class ColumnChart:
    columns: list[Column]
    top: float
    grid: list[Label]  # y-axis lines with their values
    x_labels: list[Label]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    base: int = BASE
    plot_top: int = TOP
    plot_h: int = PLOT_H


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    full_label: str
    value: int
    y: float
    text_y: float
    length: float
    value_text: str


@dataclass(frozen=True, slots=True)
class BarChart:
    rows: list[Row]
    width: int = WIDTH
    height: int = 0
    bar_x: int = LABEL_W
    bar_h: int = ROW_BAR


def fill_days(rows: Sequence[BreakdownJson], first: date, days: int) -> list[Day]:
    """One entry per day from `first`, zeros where the API listed nothing."""
    found = {row["key"]: row for row in rows}
    filled = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = found.get(day.isoformat())
        filled.append(
            Day(day, row["generations"], row["failed"], row["cost"]) if row else Day(day, 0, 0, 0.0)
        )
    return filled


def nice_top(value: float, steps: Sequence[float] = (1, 2, 2.5, 5, 10)) -> float:
    """The smallest step * 10^k at or above `value`: the top of the axis (the first step for 0)."""
    if value <= 0:
        return float(steps[0])
    power = 10 ** math.floor(math.log10(value))
    return float(next(s * power for s in steps if value <= s * power * (1 + 1e-9)))


def count_top(value: float) -> float:
    """For counts: an even whole number, so that the middle line is a whole number too."""
    return max(2.0, nice_top(value, (1, 2, 4, 6, 8, 10)) if value >= 1 else 2.0)


def columns(
    days: Sequence[Day],
    value: Callable[[Day], float],
    title: Callable[[Day], str],
    axis: Callable[[float], str],
    mark: Callable[[Day], float] = lambda _day: 0.0,
    scale: Callable[[float], float] = nice_top,
) -> ColumnChart:
    top = scale(max((value(d) for d in days), default=0.0))
    slot = PLOT_W / max(len(days), 1)
    width = max(1.0, slot * 0.7)
    drawn = []
    for index, day in enumerate(days):
        height = value(day) / top * PLOT_H
        marked = min(height, mark(day) / top * PLOT_H)
        x = LEFT + index * slot + (slot - width) / 2
        drawn.append(
            Column(
                day.day.isoformat(),
                value(day),
                _r(x),
                _r(width),
                _r(BASE - height),
                _r(height),
                _r(BASE - height),
                _r(marked),
                title(day),
            )
        )
    grid = [Label(LEFT - 6, _r(BASE - f * PLOT_H), axis(top * f)) for f in (0, 0.5, 1)]
    step = math.ceil(len(days) / MAX_X_LABELS) or 1
    x_labels = [
        Label(_r(c.x + c.width / 2), HEIGHT - 8, days[i].day.strftime("%b %-d"))
        for i, c in enumerate(drawn)
        if i % step == 0
    ]
    return ColumnChart(drawn, top, grid, x_labels)


def generations_per_day(days: Sequence[Day]) -> ColumnChart:
    def title(d: Day) -> str:
        failed = f", {d.failed} failed" if d.failed else ""
        return f"{d.day.isoformat()}: {d.generations} generation{_s(d.generations)}{failed}"

    return columns(
        days, lambda d: d.generations, title, _count, mark=lambda d: d.failed, scale=count_top
    )


def cost_per_day(days: Sequence[Day]) -> ColumnChart:
    return columns(days, lambda d: d.cost, lambda d: f"{d.day.isoformat()}: {cost(d.cost)}", cost)


def per_model(rows: Sequence[BreakdownJson]) -> BarChart:
    """Horizontal bars: generations per model, with the cost written after each bar."""
    top = max((row["generations"] for row in rows), default=0) or 1
    room = WIDTH - LABEL_W - VALUE_W
    drawn = []
    for index, row in enumerate(rows):
        y = 4 + index * ROW_H
        label = row["label"] or row["key"]
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        count = row["generations"]
        drawn.append(
            Row(
                short,
                label,
                count,
                y,
                y + ROW_BAR - 4,
                _r(count / top * room),
                f"{count} · {cost(row['cost'])}",
            )
        )
    return BarChart(drawn, height=len(rows) * ROW_H + 8)


def _count(value: float) -> str:
    return f"{value:g}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _r(value: float) -> float:
    return round(value, 2)
