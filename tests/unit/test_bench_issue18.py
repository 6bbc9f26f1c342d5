"""Issue 18's figures in the bench report: /auth/me against /healthz of the same process, ours
against the upstream called directly, the CPU per request, and the issue's table read off
one run's figures."""

from __future__ import annotations

import math

from bench.cpu import cpu_ms_per_request
from bench.figures import Round, Runs
from bench.issue18 import issue_table
from bench.report import markdown, summarise
from bench.served import Served
from tests.unit.test_bench_report import HEADER, figure

LATENCY = {
    "direct_p50_ms": 1.0,
    "ours_p50_ms": 4.0,
    "litellm_p50_ms": 11.0,
    "ours_cpu_ms": 2.2,
    "litellm_cpu_ms": 9.0,
}
THROUGHPUT = {
    "direct_rps": 20000.0,
    "bare_rps": 4000.0,
    "ours_rps": 450.0,
    "memory_rps": 600.0,
    "litellm_rps": 90.0,
    "ours_cpu_ms": 2.0,
    "memory_cpu_ms": 1.5,
    "bare_cpu_ms": 0.2,
    "litellm_cpu_ms": 10.0,
    "direct_cpu_ms": 0.05,
}
PROTECTED = {
    "me_rps": 3000.0,
    "healthz_rps": 5000.0,
    "hello_rps": 8000.0,
    "me_cpu_ms": 0.3,
    "healthz_cpu_ms": 0.2,
    "hello_cpu_ms": 0.12,
}
STORM = {"logins_per_s": 3.0, "healthz_idle_p99_ms": 2.0, "healthz_storm_p99_ms": 5.0}


def full_run() -> list[dict[str, object]]:
    results = {
        name: Runs([(1, dict(r)), (2, dict(r))])
        for name, r in (
            ("latency", LATENCY),
            ("throughput", THROUGHPUT),
            ("protected", PROTECTED),
            ("login_storm", STORM),
        )
    }
    return summarise(results, {"sut_cores": 1, "single_hash_s": 0.25})


def test_auth_me_is_measured_against_healthz_of_the_same_process_and_the_bare_hello() -> None:
    rounds: list[Round] = [PROTECTED, {**PROTECTED, "me_rps": 4800.0}]
    against_healthz = figure("3a", {"protected": rounds})
    assert against_healthz["rounds"] == [0.6, 0.96] and against_healthz["median"] == 0.78
    assert against_healthz["target"] == 0.9 and against_healthz["met"] is False
    assert figure("3", {"protected": rounds})["rounds"] == [0.375, 0.6]
    assert figure("3d", {"protected": rounds})["median"] == 0.3
    assert figure("3e", {"protected": rounds})["unit"] == "ms"
    by_cpu = figure("3g", {"protected": rounds})  # /healthz's CPU over /auth/me's
    assert by_cpu["median"] == 0.2 / 0.3 and by_cpu["met"] is False


def test_the_upstream_called_directly_is_the_ceiling_of_the_throughput_scenario() -> None:
    result = figure("2e", {"throughput": [THROUGHPUT]})
    assert result["median"] == 450 / 20000 and result["target"] is None
    assert figure("2c", {"throughput": [THROUGHPUT]})["median"] == 0.2
    assert figure("2i", {"throughput": [THROUGHPUT]})["median"] == 2.0
    assert figure("2n", {"throughput": [THROUGHPUT]})["median"] == 5.0  # LiteLLM's 10 ms / 2
    assert figure("2o", {"throughput": [THROUGHPUT]})["median"] == 0.025
    # an arm that answered nothing has no CPU per request: no ratio from that round
    silent = figure("2n", {"throughput": [{**THROUGHPUT, "litellm_cpu_ms": math.nan}]})
    assert silent["rounds_used"] == 0 and silent["median"] is None


def test_cpu_per_request_is_process_time_over_answers_and_a_silent_arm_gives_none() -> None:
    assert cpu_ms_per_request(ticks=90, requests=450, ticks_per_s=100) == 2.0
    assert math.isnan(cpu_ms_per_request(ticks=3, requests=0, ticks_per_s=100))
    silent = figure("1g", {"latency": [{**LATENCY, "ours_cpu_ms": math.nan}, LATENCY]})
    assert silent["rounds"] == [2.2] and (silent["rounds_used"], silent["rounds_total"]) == (1, 2)
    assert silent["dropped"] == [{"round": 1, "reason": "the server answered nothing"}]
    # the answers counted are the route's, whatever their status
    assert Served(answered=10, refused=2, rows=0).total == 12


def test_the_issue_table_has_its_five_rows_with_ratio_and_goal() -> None:
    table = issue_table(full_run())
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 6  # the header and five figures
    assert (
        "| Text generation, saturation at 64 connections | 450 req/s (2d) | LiteLLM 90 req/s "
        "(2f) | 5.00x (2b) | 5.00x (2n) | >= 20.00x | **no** |" in table
    )
    assert "| 450 req/s (2d) | upstream 20,000 req/s (2g) | 0.022x (2e) | 0.025x (2o) |" in table
    assert (
        "bare FastAPI forwarder on the same server reaches 0.20x of the upstream (2c; "
        "4,000 req/s, 0.20 ms of CPU a request)" in table
    )
    assert "| 3.00 ms (1a) | LiteLLM 10.00 ms (1b) | 0.30x (1c) |  | <= 0.30x | yes |" in table
    assert (
        "| 3,000 req/s (3b) | /healthz 5,000 req/s (3c) | 0.60x (3a) | 0.67x (3g) | >= 0.90x "
        "| **no** |" in table
    )
    assert "| 5.00 ms (6d) | idle 2.00 ms (6c) | 2.50x (6b) |  | <= 2.00x | **no** |" in table
    assert "generation at 64 connections 2.00 ms (2i)" in table
    assert "GET /auth/me 0.30 ms (3d); GET /healthz 0.20 ms (3e)" in table


def test_the_issue_table_is_in_the_report_only_when_the_run_has_its_figures() -> None:
    assert "Issue 18 table" in markdown(full_run(), HEADER)
    streaming_only = summarise(
        {"streaming": Runs([(1, {"ours_ttft_ms": 105.0, "direct_ttft_ms": 100.0})])}, {}
    )
    assert issue_table(streaming_only) == ""
    assert "Issue 18 table" not in markdown(streaming_only, HEADER)
    partial = issue_table(summarise({"protected": Runs([(1, dict(PROTECTED))])}, {}))
    assert "| - (2d) | LiteLLM - (2f) | - (2b) | - (2n) | >= 20.00x |  |" in partial
    # a ratio missing from requests/s is judged by CPU
    cpu_only = [f for f in full_run() if f["number"] != "3a"]
    assert "| - (3a) | 0.67x (3g) | >= 0.90x | **no** |" in issue_table(cpu_only)
