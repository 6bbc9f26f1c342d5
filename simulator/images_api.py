"""The dedicated image API, `POST /images` (openrouter.md section 3b)."""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from simulator.bodies import error_body
from simulator.catalogue import ModelSpec, lookup
from simulator.common import Call, dumps, early_fault, json_response, open_call
from simulator.images import (
    ASPECT_SIZES,
    IMAGE_TOKENS,
    RESOLUTION_FACTORS,
    ImageRequestError,
    nominal_size,
    pixel_size,
    png_for,
)
from simulator.state import generation_id
from simulator.text import Usage, usage_for


def _resolution_class(pixels: tuple[int, int]) -> float:
    side = max(pixels)
    return 0.5 if side < 768 else 1 if side < 1800 else 2 if side < 3600 else 4


def _check_conflicts(pixels: tuple[int, int], aspect: Any, resolution: Any) -> None:
    if aspect is not None:
        width, height = ASPECT_SIZES.get(str(aspect), (0, 1))
        if abs(pixels[0] / pixels[1] - width / height) > 0.05 * width / height:
            raise ImageRequestError(
                f"size {pixels[0]}x{pixels[1]} conflicts with aspect_ratio {aspect}"
            )
    if resolution is not None and RESOLUTION_FACTORS.get(str(resolution)) != _resolution_class(
        pixels
    ):
        raise ImageRequestError(
            f"size {pixels[0]}x{pixels[1]} conflicts with resolution {resolution}"
        )


def requested_size(body: dict[str, Any]) -> tuple[int, int]:
    """Nominal pixels from `resolution`, `aspect_ratio` and `size` ("2K" or "2048x2048")."""
    resolution, aspect, size = body.get("resolution"), body.get("aspect_ratio"), body.get("size")
    pixels = pixel_size(size)
    if pixels is not None:
        _check_conflicts(pixels, aspect, resolution)
        return pixels
    if size is not None:
        if resolution is not None and resolution != size:
            raise ImageRequestError(f"size {size} conflicts with resolution {resolution}")
        resolution = size
    return nominal_size(aspect, resolution)


def _count(body: dict[str, Any]) -> int:
    n = body.get("n", 1)
    if not isinstance(n, int) or not 1 <= n <= 10:
        raise ImageRequestError("n must be an integer from 1 to 10")
    return n


Checked = tuple[ModelSpec, str, int, tuple[int, int]]


def _validate(call: Call) -> Response | Checked:
    body, user_id = call.body, call.config.user_id
    model = str(body.get("model") or "")
    spec = lookup(model)
    if spec is None or not spec.makes_images:
        return json_response(
            400, error_body(400, f"{model} is not a valid model ID", user_id=user_id)
        )
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return json_response(400, error_body(400, "prompt is required", user_id=user_id))
    try:
        return spec, prompt, _count(body), requested_size(body)
    except ImageRequestError as exc:
        return json_response(400, exc.body(user_id))


async def _events(items: list[dict[str, Any]], usage: Usage) -> AsyncIterator[bytes]:
    for index, item in enumerate(items):
        partial = {"type": "image_generation.partial_image", "partial_image_index": index, **item}
        yield b"data: " + dumps(partial) + b"\n\n"
        done: dict[str, Any] = {"type": "image_generation.completed", "index": index, **item}
        if index == len(items) - 1:
            done["usage"] = usage.as_dict()
        yield b"data: " + dumps(done) + b"\n\n"
    yield b"data: [DONE]\n\n"


async def create_images(request: Request) -> Response:
    call = await open_call(request)
    if isinstance(call, Response):
        return call
    checked = _validate(call)
    if isinstance(checked, Response):
        return checked
    spec, prompt, n, nominal = checked
    info = call.error_info(spec.id, spec.provider, prompt, None)
    early = await early_fault(call, info)
    if early is not None:
        return early
    await call.latency()
    items = [
        {
            "b64_json": base64.b64encode(
                png_for(prompt, nominal, call.config.image_downscale, index)
            ).decode(),
            "media_type": "image/png",
        }
        for index in range(n)
    ]
    usage = usage_for(spec, len(prompt.split()), IMAGE_TOKENS * n, IMAGE_TOKENS * n)
    gen_id = generation_id("gen-img")
    call.state.record_generation(
        gen_id,
        {"id": gen_id, "model": spec.id, "total_cost": usage.cost, "api_type": "images"},
        usage.cost,
    )
    headers = {"X-Generation-Id": gen_id}
    if call.body.get("stream"):
        return StreamingResponse(
            _events(items, usage), 200, headers, media_type="text/event-stream"
        )
    payload = {"created": int(time.time()), "data": items, "usage": usage.as_dict()}
    return call.reply(200, payload, headers)
