"""The benchmark harness's own arithmetic: per-round figures, medians, targets, wrk output,
the rounds each figure stands on, the errors it saw, and the server's own counts."""

from __future__ import annotations

from typing import Any

from bench.figures import Round, Runs
from bench.openloop import OpenLoopResult, Outcome
from bench.report import markdown, summarise
from bench.served import Served
from bench.targets import FIGURES
from bench.wrk import Shape, WrkResult

HEADER = {"date": "d", "machine": "m", "cores": "c", "rounds": 3, "litellm": "skipped"}


def runs(rounds: list[Round], failed: list[tuple[int, str]] | None = None) -> Runs:
    return Runs(list(enumerate(rounds, start=1)), failed or [])


def figure(number: str, results: dict[str, list[Round]]) -> dict[str, Any]:
    return figure_of(number, {name: runs(rounds) for name, rounds in results.items()})


def figure_of(number: str, results: dict[str, Runs]) -> dict[str, Any]:
    found = [
        f
        for f in summarise(results, {"sut_cores": 1, "single_hash_s": 0.25})
        if f["number"] == number
    ]
    assert found, f"figure {number} missing"
    return found[0]


def test_a_ratio_is_taken_within_each_round_then_the_median_of_the_rounds() -> None:
    rounds = [
        {"ours_rps": 300, "bare_rps": 400},
        {"ours_rps": 100, "bare_rps": 400},
        {"ours_rps": 390, "bare_rps": 400},
    ]
    result = figure("2a", {"throughput": rounds})
    assert result["rounds"] == [0.75, 0.25, 0.975]
    assert result["median"] == 0.75 and result["min"] == 0.25 and result["max"] == 0.975
    assert result["met"] is True  # >= 0.75


def test_added_latency_subtracts_the_direct_arm_and_a_ceiling_target_is_met_below_it() -> None:
    rounds = [{"direct_p50_ms": 1, "ours_p50_ms": 4, "litellm_p50_ms": 11}] * 3
    assert figure("1a", {"latency": rounds})["median"] == 3
    ratio = figure("1c", {"latency": rounds})
    assert ratio["median"] == 0.3 and ratio["met"] is True  # <= 0.5
    worse = [{"direct_p50_ms": 1, "ours_p50_ms": 8, "litellm_p50_ms": 11}] * 3
    assert figure("1c", {"latency": worse})["met"] is False
    # a direct arm noisier than ours makes a difference negative: that round has no ratio
    noisy = [
        {"direct_p99_ms": 30, "ours_p99_ms": 14, "litellm_p99_ms": 40},
        {"direct_p99_ms": 2, "ours_p99_ms": 6, "litellm_p99_ms": 12},
    ]
    result = figure("1f", {"latency": noisy})
    assert result["rounds"] == [0.4] and (result["rounds_used"], result["rounds_total"]) == (1, 2)
    assert [d["round"] for d in result["dropped"]] == [1]
    assert "negative" in result["dropped"][0]["reason"]


def test_login_storm_is_measured_against_cores_over_the_hash_time() -> None:
    result = figure("6a", {"login_storm": [{"logins_per_s": 3.0}] * 7})
    assert result["median"] == 0.75 and result["met"] is False  # 3 of a possible 4


def test_a_missing_arm_leaves_its_figures_out_instead_of_inventing_them() -> None:
    found = summarise({"throughput": runs([{"ours_rps": 300, "bare_rps": 400}])}, {})
    numbers = {f["number"] for f in found}
    assert "2a" in numbers and "2b" not in numbers  # no LiteLLM figures
    assert "| 2a |" in markdown(found, HEADER)
    assert len({f.number for f in FIGURES}) == len(FIGURES)


def test_wrk_figures_are_read_back_and_errors_do_not_count_as_throughput() -> None:
    output = (
        'Running 2s test\nBENCH {"requests":1000,"duration_us":2000000,"connect":0,'
        '"read":0,"write":0,"status":100,"timeout":0,"p50":1500,"p90":2500,'
        '"p99":9000,"mean":1700.0}\n'
    )
    result = WrkResult.parse(output)
    assert result.rps == 450 and result.p50_ms == 1.5 and result.p99_ms == 9
    script = Shape(
        "POST", "/auth/login", (("Content-Type", "application/json"),), ('{"a": 1}', '{"b": 2}')
    ).script()
    assert '{"a": 1}' in script and '{"b": 2}' in script and "request = function()" in script


def test_open_loop_latency_counts_from_the_schedule_and_unanswered_requests_fail() -> None:
    result = OpenLoopResult(offered_rps=2, seconds=2)
    result.outcomes = [
        Outcome(0.0, 0.5, 1.0, 200),
        Outcome(0.5, 0.5, 1.0, 200),
        Outcome(1.0, 1.0, 0.0, 0),
        Outcome(1.5, 1.5, 1.8, 200),
    ]
    assert result.success_rate == 0.75
    assert result.latency_s(99) == 1.0  # the first waited 1 s from its scheduled time
    assert result.latency_s(99, from_send=True) == 0.5
    assert result.achieved_rps(settle_s=1.0) == 3 / 1.0  # completions inside [1, 2]


def test_a_failed_round_and_a_dropped_round_are_counted_and_named() -> None:
    rounds = Runs(
        [(1, {"ours_rps": 300, "bare_rps": 400}), (3, {"ours_rps": 200, "bare_rps": 0})],
        [(2, "RuntimeError('wrk printed no figures')")],
    )
    result = figure_of("2a", {"throughput": rounds})
    assert result["rounds"] == [0.75]
    assert (result["rounds_used"], result["rounds_total"]) == (1, 3)
    assert result["dropped"] == [
        {"round": 2, "reason": "round failed: RuntimeError('wrk printed no figures')"},
        {"round": 3, "reason": "bare_rps is 0"},
    ]
    table = markdown([result], HEADER)
    assert (
        "| 2a | Throughput, ours / bare FastAPI forwarder | 0.75x | 0.75x - 0.75x | 1/3 | 0 |"
        in table
    )
    assert "- 2a, round 2 dropped: round failed: RuntimeError('wrk printed no figures')" in table
    assert "- 2a, round 3 dropped: bare_rps is 0" in table


def test_a_scenario_whose_every_round_failed_still_shows_its_figures_with_no_value() -> None:
    result = figure_of("3", {"protected": Runs([], [(1, "boom"), (2, "boom")])})
    assert result["median"] is None and result["met"] is None
    assert (result["rounds_used"], result["rounds_total"]) == (0, 2)
    assert "| 3 | GET /auth/me / bare JSON hello | - | - - - | 0/2 | 0 |" in markdown(
        [result], HEADER
    )


def test_errors_are_stated_and_a_latency_round_with_errors_gives_no_latency() -> None:
    clean = {
        "direct_p50_ms": 1,
        "ours_p50_ms": 4,
        "litellm_p50_ms": 11,
        "direct_errors": 0,
        "ours_errors": 0,
        "litellm_errors": 0,
    }
    broken = {**clean, "ours_p50_ms": 2, "ours_errors": 5}  # fast because it failed fast
    result = figure("1a", {"latency": [clean, broken, clean]})
    assert result["rounds"] == [3, 3] and (result["rounds_used"], result["rounds_total"]) == (2, 3)
    assert result["dropped"] == [{"round": 2, "reason": "errors in the round: ours_errors=5"}]
    throughput = [
        {"ours_rps": 300, "bare_rps": 400, "ours_errors": 7, "bare_errors": 1, "direct_errors": 50}
    ]
    stated = figure("2a", {"throughput": throughput})  # wrk's rps already leaves errors out
    assert stated["rounds_used"] == 1 and stated["errors"] == {"ours_errors": 7, "bare_errors": 1}
    table = markdown([stated], HEADER)
    assert (
        "| 1/1 | 8 |" in table
        and "- 2a, errors in the rounds used: ours_errors 7, bare_errors 1" in table
    )


def test_every_figure_of_a_full_round_states_rounds_and_errors() -> None:
    keys = {k for f in FIGURES for k in f.compute.inputs}
    full = dict.fromkeys(keys, 2.0) | {"ours_errors": 1.0}
    results = {f.scenario: runs([full, full]) for f in FIGURES}
    found = summarise(results, {"sut_cores": 1, "single_hash_s": 0.25})
    assert {f["number"] for f in found} == {f.number for f in FIGURES}
    for f in found:
        assert f["rounds_total"] == 2 and f["rounds_used"] + len(f["dropped"]) == 2, f
        assert isinstance(f["errors"], dict)
    assert figure_of("2d", results)["errors"] == {"ours_errors": 2.0}


METRICS = """# TYPE allucanget_http_requests_total counter
allucanget_http_requests_total{{method="POST",route="/generate/text",status="200"}} {ok}
allucanget_http_requests_total{{method="POST",route="/generate/text",status="502"}} {bad}
allucanget_http_requests_total{{method="POST",route="/generate/image",status="200"}} 9.0
allucanget_http_requests_total{{method="GET",route="/metrics",status="200"}} 40.0
# TYPE allucanget_generations gauge
allucanget_generations{{kind="text",status="succeeded"}} {rows}
allucanget_generations{{kind="text",status="failed"}} {bad}
allucanget_generations{{kind="image",status="succeeded"}} 9.0
"""


def test_answers_without_a_row_are_counted_from_the_server_not_from_wrk() -> None:
    before = Served.parse(METRICS.format(ok=10.0, bad=1.0, rows=10.0))
    assert before == Served(answered=10, refused=1, rows=10)
    # wrk read 936 answers; the server answered 1000 (64 were in flight when wrk stopped)
    after = Served.parse(METRICS.format(ok=1010.0, bad=3.0, rows=1010.0))
    assert after.since(before) == {
        "ours_served": 1000,
        "ours_unrecorded": 0,
        "ours_server_errors": 2,
    }
    lost = Served.parse(METRICS.format(ok=1010.0, bad=1.0, rows=1007.0))
    assert lost.since(before)["ours_unrecorded"] == 3  # the old count would have said -61
    result = figure("5b", {"throughput": [lost.since(before), after.since(before)]})
    assert result["rounds"] == [3, 0] and result["met"] is False
    assert result["errors"] == {"ours_server_errors": 2}
