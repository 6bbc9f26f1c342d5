"""Catalogue and account endpoints: `/models`, `/key`, `/credits`, `/generation`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from simulator.catalogue import MODELS, chat_model_entry, filter_models
from simulator.common import early_fault, error_response, json_response, open_call
from simulator.video_models import VIDEO_MODELS


async def list_models(request: Request) -> Response:
    """No key needed, as in the docs; `output_modalities` defaults to `text`."""
    call = await open_call(request, auth=False)
    if isinstance(call, Response):
        return call
    early = await early_fault(call, call.error_info("models", "OpenRouter", "", None))
    if early is not None:
        return early
    entries = [chat_model_entry(spec) for spec in MODELS]
    entries += [spec.catalogue_entry() for spec in VIDEO_MODELS]
    params = request.query_params
    kept = filter_models(
        entries,
        params.get("output_modalities"),
        params.get("input_modalities"),
        params.get("supported_parameters"),
    )
    await call.latency()
    return call.reply(200, {"data": kept, "total_count": len(kept), "links": {"next": None}})


async def current_key(request: Request) -> Response:
    """The section 7 shape of `GET /key`; usage is what this simulator has billed so far."""
    call = await open_call(request)
    if isinstance(call, Response):
        return call
    early = await early_fault(call, call.error_info("key", "OpenRouter", "", None))
    if early is not None:
        return early
    used = round(call.state.usage_total, 10)
    data = {
        "label": call.config.api_key[:12] + "...",
        "limit": None,
        "limit_reset": None,
        "limit_remaining": None,
        "include_byok_in_limit": False,
        "usage": used,
        "usage_daily": used,
        "usage_weekly": used,
        "usage_monthly": used,
        "byok_usage": 0,
        "byok_usage_daily": 0,
        "byok_usage_weekly": 0,
        "byok_usage_monthly": 0,
        "is_free_tier": False,
        "is_management_key": False,
        "is_provisioning_key": False,
        "creator_user_id": call.config.user_id,
        "expires_at": None,
        "rate_limit": {
            "requests": -1,
            "interval": "10s",
            "note": "This field is deprecated and safe to ignore.",
        },
    }
    return call.reply(200, {"data": data})


async def credits(request: Request) -> Response:
    """Needs a management key; the simulator's key is an ordinary one."""
    call = await open_call(request)
    if isinstance(call, Response):
        return call
    return error_response(403, "Only management keys can perform this operation")


async def generation(request: Request) -> Response:
    """404 on the first look-up of an id, as right after a real completion; data afterwards."""
    call = await open_call(request)
    if isinstance(call, Response):
        return call
    gen_id = request.query_params.get("id", "")
    record = call.state.generations.get(gen_id)
    if record is None:
        return error_response(404, f"Generation {gen_id} not found")
    record.lookups += 1
    if record.lookups == 1:
        return error_response(404, f"Generation {gen_id} not found")
    return json_response(200, {"data": record.data})
