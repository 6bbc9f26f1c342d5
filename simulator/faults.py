"""Fault names and how a request selects one: header, prompt marker, model suffix, scenario."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from simulator.state import SimState

FAULT_HEADER = "x-sim-fault"
FAULT_KEY_HEADER = "x-sim-fault-key"
MODEL_SUFFIX = ":sim-"
_MARKER = re.compile(r"\[\[sim:([a-z_]+)=([^\]]*)\]\]")

STATUS_FAULTS = frozenset(
    {
        "400_context",
        "401",
        "402",
        "402_balance",
        "402_image",
        "402_in_flight",
        "403",
        "408",
        "429",
        "429_upstream",
        "429_no_retry_after",
        "500",
        "502",
        "503",
        "524",
        "529",
    }
)
BROKEN_FAULTS = frozenset(
    {
        "drop_connection",
        "malformed_json",
        "html_502",
        "html_200",
        "text_plain",
        "empty_200",
        "slow_headers",
    }
)
BODY_FAULTS = frozenset({"leading_whitespace", "stall_stream", "drop_mid_stream", "trickle"})
CHAT_FAULTS = frozenset(
    {
        "error_200",
        "empty_choices",
        "empty_content",
        "content_filter",
        "choice_error",
        "midstream_error",
        "midstream_error_string",
        "midstream_error_length",
        "fallback",
        "image_download_failed",
    }
)
VIDEO_FAULTS = frozenset({"video_failed", "video_cancelled", "video_expired", "video_content_502"})
META_FAULTS = frozenset({"flaky", "none"})
ALL_FAULTS = STATUS_FAULTS | BROKEN_FAULTS | BODY_FAULTS | CHAT_FAULTS | VIDEO_FAULTS | META_FAULTS


class UnknownFaultError(ValueError):
    """A request named a fault the simulator does not have (a typo in a test, usually)."""


@dataclass(frozen=True, slots=True)
class Fault:
    """A parsed fault spec `name[:arg[:arg…]]`, e.g. `flaky:2:429` or `slow_headers:300`."""

    name: str
    args: tuple[str, ...] = ()
    source: str = "header"

    def arg_int(self, index: int, default: int) -> int:
        return int(self.args[index]) if len(self.args) > index else default

    def arg_float(self, index: int, default: float) -> float:
        return float(self.args[index]) if len(self.args) > index else default

    @property
    def spec(self) -> str:
        return ":".join((self.name, *self.args))


def parse_fault(spec: str, source: str = "header") -> Fault:
    name, *args = spec.strip().split(":")
    if name not in ALL_FAULTS:
        raise UnknownFaultError(f"Unknown simulator fault '{name}'")
    return Fault(name, tuple(args), source)


def markers(text: str) -> dict[str, str]:
    """`[[sim:fault=429]] [[sim:key=abc]] [[sim:tokens=5]]` -> {"fault": "429", …}."""
    return {match.group(1): match.group(2) for match in _MARKER.finditer(text)}


def strip_markers(text: str) -> str:
    return _MARKER.sub("", text).strip()


def split_model(model: str) -> tuple[str, str | None]:
    """`openai/gpt-4o:sim-429` -> ("openai/gpt-4o", "429")."""
    base, _, spec = model.partition(MODEL_SUFFIX)
    return base, (spec or None)


def _requested_spec(
    state: SimState,
    path: str,
    headers: Mapping[str, str],
    found: dict[str, str],
    model_spec: str | None,
) -> tuple[str, str] | None:
    if headers.get(FAULT_HEADER):
        return headers[FAULT_HEADER], "header"
    if "fault" in found:
        return found["fault"], "marker"
    if model_spec:
        return model_spec, "model"
    scenario = state.scenario
    if scenario.fault and scenario.applies_to(path):
        return scenario.fault, "scenario"
    return None


def select_fault(
    state: SimState, path: str, headers: Mapping[str, str], text: str, model_spec: str | None
) -> Fault | None:
    """The fault this request gets, after counting `flaky` attempts per fault key."""
    found = markers(text)
    requested = _requested_spec(state, path, headers, found, model_spec)
    if requested is None:
        return None
    fault = parse_fault(*requested)
    if fault.name == "none":
        return None
    if fault.name != "flaky":
        return fault
    key = headers.get(FAULT_KEY_HEADER) or found.get("key") or f"{fault.spec}|{path}"
    failures = fault.arg_int(0, state.config.flaky_failures)
    inner = ":".join(fault.args[1:]) or "503"
    if state.count(key) > failures:
        return None
    return parse_fault(inner, fault.source)
