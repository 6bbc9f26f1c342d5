"""The engine scenarios' figures (bench/engine_figures.py): the ratios behind the issue's
targets, the CPU per generation of API and server added, one figure per arm, numbers unique."""

from __future__ import annotations

from bench.engine_figures import ENGINE_FIGURES
from bench.figures import Round
from bench.targets import FIGURES
from tests.unit.test_bench_report import figure

ROUNDS: list[Round] = [
    {
        "duck_rps": 200,
        "pg1_rps": 180,
        "pg2_rps": 270,
        "duck_errors": 0,
        "pg1_errors": 0,
        "pg2_errors": 0,
        "pg1_api_cpu_ms": 2.5,
        "pg1_pg_cpu_ms": 0.5,
    },
    {
        "duck_rps": 100,
        "pg1_rps": 50,
        "pg2_rps": 50,
        "duck_errors": 0,
        "pg1_errors": 3,
        "pg2_errors": 0,
        "pg1_api_cpu_ms": 3.0,
        "pg1_pg_cpu_ms": 1.0,
    },
    {
        "duck_rps": 300,
        "pg1_rps": 270,
        "pg2_rps": 405,
        "duck_errors": 0,
        "pg1_errors": 0,
        "pg2_errors": 0,
        "pg1_api_cpu_ms": 2.0,
        "pg1_pg_cpu_ms": 0.25,
    },
]


def test_the_engine_figures_are_reported_with_the_others_under_their_own_numbers() -> None:
    numbers = [f.number for f in FIGURES]
    assert len(numbers) == len(set(numbers))
    assert {f.number for f in ENGINE_FIGURES} <= set(numbers)
    scenarios = {f.scenario for f in ENGINE_FIGURES}
    assert scenarios == {"engines", "engines_inflight"}


def test_postgresql_against_duckdb_and_two_processes_against_one_per_round() -> None:
    pg_duck = figure("10d", {"engines": ROUNDS})
    assert pg_duck["rounds"] == [0.9, 0.5, 0.9] and pg_duck["target"] == 0.8
    assert pg_duck["met"] is True  # median 0.9
    two_one = figure("10e", {"engines": ROUNDS})
    assert two_one["rounds"] == [1.5, 1.0, 1.5] and two_one["met"] is True
    assert two_one["errors"] == {"pg1_errors": 3, "pg2_errors": 0}


def test_the_cpu_of_a_generation_adds_the_api_and_the_database_server() -> None:
    total = figure("10k", {"engines": ROUNDS})
    assert total["rounds"] == [3.0, 4.0, 2.25] and total["median"] == 3.0
    assert total["unit"] == "ms"


def test_two_processes_must_answer_every_request_in_flight() -> None:
    rounds: list[Round] = [
        {"pg2_success": 1.0, "pg2_errors": 0},
        {"pg2_success": 0.98, "pg2_errors": 6},
    ]
    answered = figure("11c", {"engines_inflight": rounds})
    assert answered["target"] == 1.0 and answered["met"] is False
    assert "PostgreSQL 2" in answered["name"]
