"""`POST /chat/completions`: validation, the completion plan and the non-streamed reply."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.bodies import context_reply, credits_reply, error_body, provider_error
from simulator.catalogue import ModelSpec, lookup
from simulator.common import Call, early_fault, json_response, open_call
from simulator.images import (
    IMAGE_TOKENS,
    ImageRequestError,
    chat_images,
    check_image_config,
    check_input_images,
)
from simulator.state import generation_id
from simulator.streaming import stream_completion
from simulator.text import (
    Usage,
    join_words,
    last_user_text,
    prompt_tokens,
    reply_for,
    usage_for,
)

DEFAULT_MODEL = "openai/gpt-4o-mini"
_ERROR_CHOICE_FAULTS = frozenset(
    {"choice_error", "midstream_error", "midstream_error_string", "midstream_error_length"}
)


@dataclass(slots=True)
class Completion:
    """Everything both the JSON and the SSE reply are made from."""

    gen_id: str
    created: int
    model: str
    provider: str
    words: list[str]
    finish: str
    usage: Usage
    images: list[dict[str, Any]] = field(default_factory=list)

    @property
    def content(self) -> str:
        return join_words(self.words)


def _fallback(body: dict[str, Any], primary: ModelSpec | None, forced: bool) -> ModelSpec | None:
    """With `models[]`, an unknown or (by fault) failing primary is replaced by the next one."""
    if primary is not None and not forced:
        return primary
    candidates = body.get("models")
    for model in candidates if isinstance(candidates, list) else ():
        spec = lookup(str(model))
        if spec is not None and spec is not primary:
            return spec
    return primary


def _max_tokens(body: dict[str, Any]) -> int | None:
    value = body.get("max_completion_tokens", body.get("max_tokens"))
    return int(value) if isinstance(value, int | float) else None


def _validate(call: Call, spec: ModelSpec | None, model: str) -> ModelSpec | Response:
    """The model to serve the request, or the 400/404 answer."""
    body, user_id = call.body, call.config.user_id
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        message = 'Input required: specify "prompt" or "messages"'
        return json_response(400, error_body(400, message, user_id=user_id))
    if spec is None:
        availability = {
            "code": "model_not_found",
            "retryable": False,
            "requested_models": [model],
            "fallback_models": [],
        }
        payload = error_body(
            400,
            f"{model} is not a valid model ID",
            user_id=user_id,
            error_type="invalid_request",
            availability=availability,
        )
        return json_response(400, payload)
    if "image" in (body.get("modalities") or ()) and not spec.makes_images:
        message = "No endpoints found that support the requested output modalities: " + ", ".join(
            map(str, body["modalities"])
        )
        return json_response(404, error_body(404, message, user_id=user_id))
    try:
        check_input_images(messages, call.fault_name == "image_download_failed")
        if "image" in (body.get("modalities") or ()):
            check_image_config(body.get("image_config"))
    except ImageRequestError as exc:
        return json_response(400, exc.body(user_id))
    return spec


def _over_budget(call: Call, spec: ModelSpec) -> Response | None:
    """Pre-flight credit check: no max_tokens means the model's maximum (section 6)."""
    affordable = call.config.affordable_tokens
    requested = _max_tokens(call.body) or spec.max_output
    if affordable is None or requested <= affordable:
        return None
    info = call.error_info(spec.id, spec.provider, "", _max_tokens(call.body), spec.max_output)
    reply = credits_reply(info)
    return json_response(reply.status, reply.body, reply.headers)


def _over_context(call: Call, spec: ModelSpec) -> Response | None:
    """The catalogue's context_length holds: the prompt's tokens plus `max_tokens`."""
    text_input, output = prompt_tokens(call.body["messages"]), _max_tokens(call.body) or 0
    if text_input + output <= spec.context:
        return None
    info = call.error_info(
        spec.id, spec.provider, "", _max_tokens(call.body), spec.max_output, spec.context
    )
    reply = context_reply(info, text_input, output)
    return json_response(reply.status, reply.body, reply.headers)


def plan(call: Call, spec: ModelSpec) -> Completion:
    body, fault = call.body, call.fault_name
    messages: list[Any] = body["messages"]
    limit = _max_tokens(body) or spec.max_output
    words, truncated = reply_for(messages, limit)
    finish = "length" if truncated else "stop"
    if fault == "empty_content":
        words, finish = [], "stop"
    elif fault == "content_filter":
        words, finish = words[:3], "content_filter"
    images: list[dict[str, Any]] = []
    if "image" in (body.get("modalities") or ()):
        images = chat_images(
            last_user_text(messages), body.get("image_config"), call.config.image_downscale
        )
    image_tokens = IMAGE_TOKENS * len(images)
    usage = usage_for(spec, prompt_tokens(messages), len(words) + image_tokens, image_tokens)
    return Completion(
        generation_id(),
        int(time.time()),
        spec.response_model,
        spec.provider,
        words,
        finish,
        usage,
        images,
    )


def _message(done: Completion) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": done.content,
        "refusal": None,
        "reasoning": None,
    }
    if done.images:
        message["images"] = done.images
    return message


def completion_body(done: Completion, fault: str | None) -> dict[str, Any]:
    """The section 2 shape; key order as in chat-nonstream-rubyllm-haiku45-basic.json."""
    choice: dict[str, Any] = {
        "index": 0,
        "logprobs": None,
        "finish_reason": done.finish,
        "native_finish_reason": done.finish,
        "message": _message(done),
    }
    if fault in _ERROR_CHOICE_FAULTS:
        choice.update(
            finish_reason="error",
            native_finish_reason="error",
            error={
                "code": 502,
                "message": "Provider returned error",
                "metadata": {"provider_name": done.provider},
            },
        )
    return {
        "id": done.gen_id,
        "object": "chat.completion",
        "created": done.created,
        "model": done.model,
        "provider": done.provider,
        "system_fingerprint": None,
        "service_tier": None,
        "choices": [] if fault == "empty_choices" else [choice],
        "usage": done.usage.as_dict(),
    }


def _remember(call: Call, done: Completion, streamed: bool) -> None:
    usage = done.usage
    call.state.record_generation(
        done.gen_id,
        {
            "id": done.gen_id,
            "model": done.model,
            "provider_name": done.provider,
            "total_cost": usage.cost,
            "usage": usage.cost,
            "tokens_prompt": usage.prompt_tokens,
            "tokens_completion": usage.completion_tokens,
            "native_tokens_prompt": usage.prompt_tokens,
            "native_tokens_completion": usage.completion_tokens,
            "native_tokens_reasoning": 0,
            "native_tokens_cached": 0,
            "native_tokens_completion_images": usage.image_tokens,
            "finish_reason": done.finish,
            "native_finish_reason": done.finish,
            "latency": 0,
            "generation_time": 0,
            "streamed": streamed,
            "cancelled": False,
            "created_at": datetime.fromtimestamp(done.created, UTC).isoformat(),
            "is_byok": False,
            "upstream_inference_cost": usage.cost,
            "api_type": "completions",
        },
        usage.cost,
    )


async def chat_completions(request: Request) -> Response:
    call = await open_call(request)
    if isinstance(call, Response):
        return call
    model = str(call.body.get("model") or DEFAULT_MODEL)
    candidate = _fallback(call.body, lookup(model), call.fault_name == "fallback")
    spec = _validate(call, candidate, model)
    if isinstance(spec, Response):
        return spec
    prompt = last_user_text(call.body["messages"])
    info = call.error_info(
        model, spec.provider, prompt, _max_tokens(call.body), spec.max_output, spec.context
    )
    early = await early_fault(call, info) or _over_context(call, spec) or _over_budget(call, spec)
    if early is not None:
        return early
    if call.fault_name == "error_200":
        return call.reply(200, provider_error(info, 502, "error code: 502"))
    done = plan(call, spec)
    streamed = bool(call.body.get("stream"))
    _remember(call, done, streamed)
    headers = {"X-Generation-Id": done.gen_id}
    if streamed:
        return stream_completion(call, done, headers)
    await call.latency()
    return call.reply(200, completion_body(done, call.fault_name), headers)
