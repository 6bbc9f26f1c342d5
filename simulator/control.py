"""Control endpoints under `/__sim`: scenario, reset, request log, fault list, health."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.common import error_response, json_response, state_of
from simulator.config import Scenario
from simulator.faults import ALL_FAULTS, UnknownFaultError, parse_fault


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    data = asdict(scenario)
    if scenario.endpoints is not None:
        data["endpoints"] = list(scenario.endpoints)
    return data


async def get_scenario(request: Request) -> Response:
    return json_response(200, scenario_dict(state_of(request).scenario))


async def set_scenario(request: Request) -> Response:
    """Replace the scenario: given fields over the start-up defaults; `{}` resets it."""
    try:
        changes = json.loads(await request.body() or b"{}")
        if not isinstance(changes, dict):
            raise TypeError("expected a JSON object")
        if changes.get("fault"):
            parse_fault(str(changes["fault"]))
        scenario = state_of(request).set_scenario(changes)
    except (ValueError, TypeError, UnknownFaultError) as exc:
        return error_response(400, str(exc))
    return json_response(200, scenario_dict(scenario))


async def reset_scenario(request: Request) -> Response:
    return json_response(200, scenario_dict(state_of(request).set_scenario({})))


async def reset_all(request: Request) -> Response:
    """Scenario back to start-up values; counters, request log, jobs and generations cleared."""
    state_of(request).reset()
    return json_response(200, {"reset": True})


async def list_requests(request: Request) -> Response:
    suffix = request.query_params.get("path")
    entries = [
        entry.as_dict()
        for entry in state_of(request).log
        if suffix is None or entry.path.endswith(suffix)
    ]
    return json_response(200, {"data": entries})


async def clear_requests(request: Request) -> Response:
    state_of(request).log.clear()
    return json_response(200, {"cleared": True})


async def list_faults(_request: Request) -> Response:
    return json_response(200, {"data": sorted(ALL_FAULTS)})


async def health(_request: Request) -> Response:
    return json_response(200, {"status": "ok"})


CONTROL_ROUTES = [
    Route("/__sim/scenario", get_scenario, methods=["GET"]),
    Route("/__sim/scenario", set_scenario, methods=["POST"]),
    Route("/__sim/scenario", reset_scenario, methods=["DELETE"]),
    Route("/__sim/reset", reset_all, methods=["POST"]),
    Route("/__sim/requests", list_requests, methods=["GET"]),
    Route("/__sim/requests", clear_requests, methods=["DELETE"]),
    Route("/__sim/faults", list_faults, methods=["GET"]),
    Route("/__sim/health", health, methods=["GET"]),
]
