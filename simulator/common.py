"""Shared request handling: auth, JSON parsing, fault selection, and JSON replies."""

from __future__ import annotations

import asyncio
import hmac
import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.bodies import STATUS_BUILDERS, Body, ErrorInfo, error_body
from simulator.broken import broken_response, drop_connection, shaped_body, slow_headers
from simulator.config import Scenario, SimulatorConfig
from simulator.faults import (
    BROKEN_FAULTS,
    STATUS_FAULTS,
    Fault,
    UnknownFaultError,
    select_fault,
    split_model,
)
from simulator.state import LoggedRequest, SimState
from simulator.text import messages_text

ENTRY_KEY = "simulator.entry"
NO_AUTH = "No auth credentials found"
NO_COOKIE_AUTH = "No cookie auth credentials found"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(payload), status, headers, media_type="application/json")


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    return json_response(status, error_body(status, message, **extra), headers)


def state_of(request: Request) -> SimState:
    state: SimState = request.app.state.simulator
    return state


def auth_matches(header: str | None, api_key: str) -> bool | None:
    """None when there is no Authorization header, else whether it carries the key."""
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), api_key)


def auth_problem(request: Request, missing: str = NO_AUTH) -> Response | None:
    """The 401 bodies seen in the field (openrouter.md section 1, error-401-*.json)."""
    header = request.headers.get("authorization")
    if header is None:
        return error_response(401, missing)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error_response(401, "Missing Authentication header")
    if not auth_matches(header, state_of(request).config.api_key):
        return error_response(401, "User not found.")
    return None


@dataclass(slots=True)
class Call:
    """One authenticated API request with its parsed body and selected fault."""

    request: Request
    state: SimState
    body: dict[str, Any]
    fault: Fault | None
    model_fault: str | None

    @property
    def config(self) -> SimulatorConfig:
        return self.state.config

    @property
    def scenario(self) -> Scenario:
        return self.state.scenario

    @property
    def fault_name(self) -> str | None:
        return self.fault.name if self.fault else None

    def error_info(
        self,
        model: str,
        provider: str,
        prompt: str,
        max_tokens: int | None,
        model_max: int = 4096,
        context: int = 128000,
    ) -> ErrorInfo:
        return ErrorInfo(
            model,
            provider,
            prompt,
            max_tokens,
            model_max,
            context,
            self.config.user_id,
            self.config.affordable_tokens,
        )

    async def latency(self) -> None:
        if self.scenario.latency_ms > 0:
            await asyncio.sleep(self.scenario.latency_ms / 1000)

    def reply(self, status: int, payload: Body, headers: dict[str, str] | None = None) -> Response:
        """A JSON reply, padded, stalled or cut short when a body fault asks for it."""
        data, extra = dumps(payload), headers or {}
        shaped = shaped_body(self.request, self.fault, data, status, extra, self.config)
        if shaped is not None:
            return shaped
        return Response(data, status, extra, media_type="application/json")


async def _json_body(request: Request) -> dict[str, Any] | Response:
    if request.method != "POST":
        return {}
    raw = await request.body()
    try:
        parsed = json.loads(raw) if raw.strip() else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        return error_response(400, "Invalid JSON body: expected a JSON object")
    return parsed


async def open_call(request: Request, *, auth: bool = True) -> Call | Response:
    """Authenticate, parse the JSON body and pick the fault (see faults.select_fault)."""
    problem = auth_problem(request) if auth else None
    if problem is not None:
        return problem
    body = await _json_body(request)
    if isinstance(body, Response):
        return body
    state = state_of(request)
    model, model_fault = split_model(str(body.get("model") or ""))
    if model_fault:
        body["model"] = model
    text = messages_text(body.get("messages")) + "\n" + str(body.get("prompt") or "")
    try:
        fault = select_fault(state, request.url.path, request.headers, text, model_fault)
    except UnknownFaultError as exc:
        return error_response(400, str(exc))
    entry: LoggedRequest | None = request.scope.get(ENTRY_KEY)
    if entry is not None and fault is not None:
        entry.fault = fault.spec
    return Call(request, state, body, fault, model_fault)


async def early_fault(call: Call, info: ErrorInfo) -> Response | None:
    """Faults that answer before any normal work: status errors and broken transports."""
    fault = call.fault
    if fault is None:
        return None
    if fault.name == "slow_headers":
        await slow_headers(fault, call.config.slow_headers_ms)
        return None
    if fault.name == "drop_connection":
        return await drop_connection(call.request)
    if fault.name in BROKEN_FAULTS:
        return broken_response(fault)
    if fault.name in STATUS_FAULTS:
        reply = STATUS_BUILDERS[fault.name](info)
        return json_response(reply.status, reply.body, reply.headers)
    return None
