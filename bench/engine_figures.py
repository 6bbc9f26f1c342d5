"""The figures of scenarios 10 and 11 (`bench.engines`): DuckDB against PostgreSQL with one
and two API processes, and what each costs per generation. Targets (issue 19): PostgreSQL
with one process at least 0.8x DuckDB's throughput, two processes at least 1.3x one, and
every request answered by two processes at the in-flight load that one process drops."""

from __future__ import annotations

from bench.figures import Compute, Figure, Round, Value

NAMES = {"duck": "DuckDB 1 process", "pg1": "PostgreSQL 1 process", "pg2": "PostgreSQL 2"}


def _key(name: str) -> Compute:
    return Compute(lambda r, _: r[name], (name,))


def _ratio(a: str, b: str) -> Compute:
    def fn(r: Round, _: dict[str, float]) -> Value:
        return r[a] / r[b] if r[b] else f"{b} is 0"

    return Compute(fn, (a, b))


def _total(arm: str) -> Compute:
    api, pg = f"{arm}_api_cpu_ms", f"{arm}_pg_cpu_ms"
    return Compute(lambda r, _: r[api] + r[pg], (api, pg))


def _arms(
    numbers: str,
    title: str,
    scenario: str,
    key: str,
    unit: str = "x",
    arms: tuple[str, ...] = ("duck", "pg1", "pg2"),
    targets: dict[str, float] | None = None,
) -> list[Figure]:
    """One figure per arm: `numbers` like "10a-c" (the last letters, one per arm)."""
    stem, letters = numbers[:-3], "abcdefghijkl"
    first = letters.index(numbers[-3])
    return [
        Figure(
            f"{stem}{letters[first + i]}",
            f"{title}, {NAMES[arm]}",
            scenario,
            _key(f"{arm}_{key}"),
            (targets or {}).get(arm),
            unit=unit,
        )
        for i, arm in enumerate(arms)
    ]


ENGINE_FIGURES = [
    *_arms("10a-c", "Engines: requests/s at 64 connections", "engines", "rps", "req/s"),
    Figure(
        "10d",
        "Engines: PostgreSQL 1 process / DuckDB",
        "engines",
        _ratio("pg1_rps", "duck_rps"),
        0.8,
    ),
    Figure(
        "10e", "Engines: PostgreSQL 2 processes / 1", "engines", _ratio("pg2_rps", "pg1_rps"), 1.3
    ),
    *_arms("10f-h", "API CPU per generation", "engines", "api_cpu_ms", "ms"),
    *_arms(
        "10i-j",
        "PostgreSQL server CPU per generation",
        "engines",
        "pg_cpu_ms",
        "ms",
        ("pg1", "pg2"),
    ),
    Figure(
        "10k",
        "CPU per generation, API + server, PostgreSQL 1 process",
        "engines",
        _total("pg1"),
        unit="ms",
    ),
    Figure(
        "10l", "CPU per generation, API + server, PostgreSQL 2", "engines", _total("pg2"), unit="ms"
    ),
    *_arms(
        "11a-c",
        "Engines in flight: success rate",
        "engines_inflight",
        "success",
        targets={"pg2": 1.0},
    ),
    *_arms("11d-f", "Engines in flight: achieved / offered", "engines_inflight", "achieved_ratio"),
    *_arms("11g-i", "Engines in flight: p99 / 1.5 s", "engines_inflight", "p99_ratio"),
]
