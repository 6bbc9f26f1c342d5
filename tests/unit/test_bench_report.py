"""The benchmark harness's own arithmetic: per-round figures, medians, targets, wrk output."""

from __future__ import annotations

from bench.openloop import OpenLoopResult, Outcome
from bench.report import FIGURES, markdown, summarise
from bench.wrk import Shape, WrkResult


def figure(number: str, results: dict[str, list[dict[str, float]]]) -> dict[str, object]:
    found = [f for f in summarise(results, {"sut_cores": 1, "single_hash_s": 0.25})
             if f["number"] == number]  # fmt: skip
    assert found, f"figure {number} missing"
    return found[0]


def test_a_ratio_is_taken_within_each_round_then_the_median_of_the_rounds() -> None:
    rounds = [{"ours_rps": 300, "bare_rps": 400}, {"ours_rps": 100, "bare_rps": 400},
              {"ours_rps": 390, "bare_rps": 400}]  # fmt: skip
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
    noisy = [{"direct_p99_ms": 30, "ours_p99_ms": 14, "litellm_p99_ms": 40},
             {"direct_p99_ms": 2, "ours_p99_ms": 6, "litellm_p99_ms": 12}]  # fmt: skip
    assert figure("1f", {"latency": noisy})["rounds"] == [0.4]


def test_login_storm_is_measured_against_cores_over_the_hash_time() -> None:
    result = figure("6a", {"login_storm": [{"logins_per_s": 3.0}] * 7})
    assert result["median"] == 0.75 and result["met"] is False  # 3 of a possible 4


def test_a_missing_arm_leaves_its_figures_out_instead_of_inventing_them() -> None:
    found = summarise({"throughput": [{"ours_rps": 300, "bare_rps": 400}]}, {})
    numbers = {f["number"] for f in found}
    assert "2a" in numbers and "2b" not in numbers  # no LiteLLM figures
    assert "| 2a |" in markdown(found, {"date": "d", "machine": "m", "cores": "c", "rounds": 1,
                                        "litellm": "skipped"})  # fmt: skip
    assert len({f.number for f in FIGURES}) == len(FIGURES)


def test_wrk_figures_are_read_back_and_errors_do_not_count_as_throughput() -> None:
    output = ("Running 2s test\nBENCH {\"requests\":1000,\"duration_us\":2000000,\"connect\":0,"
              "\"read\":0,\"write\":0,\"status\":100,\"timeout\":0,\"p50\":1500,\"p90\":2500,"
              "\"p99\":9000,\"mean\":1700.0}\n")  # fmt: skip
    result = WrkResult.parse(output)
    assert result.rps == 450 and result.p50_ms == 1.5 and result.p99_ms == 9
    script = Shape("POST", "/auth/login", (("Content-Type", "application/json"),),
                   ('{"a": 1}', '{"b": 2}')).script()  # fmt: skip
    assert '{"a": 1}' in script and '{"b": 2}' in script and "request = function()" in script


def test_open_loop_latency_counts_from_the_schedule_and_unanswered_requests_fail() -> None:
    result = OpenLoopResult(offered_rps=2, seconds=2)
    result.outcomes = [Outcome(0.0, 0.5, 1.0, 200), Outcome(0.5, 0.5, 1.0, 200),
                       Outcome(1.0, 1.0, 0.0, 0), Outcome(1.5, 1.5, 1.8, 200)]  # fmt: skip
    assert result.success_rate == 0.75
    assert result.latency_s(99) == 1.0  # the first waited 1 s from its scheduled time
    assert result.latency_s(99, from_send=True) == 0.5
    assert result.achieved_rps(settle_s=1.0) == 3 / 1.0  # completions inside [1, 2]
