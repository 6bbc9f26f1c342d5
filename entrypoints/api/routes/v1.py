"""The OpenAI-compatible API: OpenAI's request and answer shapes under /v1, so that its SDKs
and tools work with a base URL of `<this API>/v1`. Every call is a generation of the caller,
recorded, limited and budgeted like any other, with `via: "v1"` and the API key's name."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from application.auth.current_user import Caller
from application.errors import ModelNotFoundError
from application.generation.chat_requests import ChatRequest
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.list_models import ListModels
from application.generation.open_media import OpenMedia
from application.generation.stream_text import StreamText
from application.ports.generation import ModelInfo
from domain.errors import InvalidGenerationRequestError
from entrypoints.api.deps import CurrentCaller, Provided
from entrypoints.api.openai_errors import openai_responses
from entrypoints.api.schemas.v1 import (
    ChatCompletionIn,
    ChatCompletionOut,
    ImageDataOut,
    ImageGenerationIn,
    ImagesOut,
    ModelListV1Out,
    ModelV1Out,
)
from entrypoints.api.v1_messages import aspect_ratio_of, chat_request, key_name
from entrypoints.api.v1_stream import started_chunks, stream_documentation

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
UPSTREAM = (402, 403, 404, 502, 503, 504)


@router.get("/models", responses=openai_responses(403, 502, 503, 504))
async def models(caller: CurrentCaller, list_models: Provided[ListModels]) -> ModelListV1Out:
    """The text models of the catalogue, as OpenAI lists models."""
    found = await list_models.execute(output="text")
    return ModelListV1Out(data=[model_v1(model) for model in found])


def model_v1(model: ModelInfo) -> ModelV1Out:
    owner = model.id.partition("/")[0] if "/" in model.id else "openrouter"
    return ModelV1Out(id=model.id, created=model.created or 0, owned_by=owner)


async def known_model(list_models: ListModels, model: str, output: str) -> None:
    """404 `model_not_found` before anything is reserved or sent (the catalogue is cached)."""
    if all(found.id != model for found in await list_models.execute(output=output)):
        raise ModelNotFoundError(f"The model `{model}` does not exist or is not a {output} model.")


@router.post(
    "/chat/completions",
    response_model=None,
    responses={
        **openai_responses(*UPSTREAM),
        200: {
            "model": ChatCompletionOut,
            "description": "a chat.completion, or with `stream: true` its chunks as events",
            "content": stream_documentation(),
        },
    },
)
async def chat_completions(
    body: ChatCompletionIn,
    caller: CurrentCaller,
    generate: Provided[GenerateText],
    stream: Provided[StreamText],
    list_models: Provided[ListModels],
) -> Any:
    """A chat completion: the system messages joined as the system prompt, the last user
    message as the prompt, the turns before it as history. `n` above 1 is refused (400)."""
    chat: ChatRequest = chat_request(body, key_name(caller))
    await known_model(list_models, chat.model, "text")
    if not body.stream:
        done = await generate.execute_chat(user_id=caller.user.id, chat=chat)
        return ChatCompletionOut.of(done)
    request, generation = stream.prepare_chat(user_id=caller.user.id, chat=chat)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    return StreamingResponse(
        await started_chunks(
            stream.execute(request, generation), generation, include_usage=include_usage
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/images/generations", responses=openai_responses(*UPSTREAM))
async def image_generations(
    body: ImageGenerationIn,
    request: Request,
    caller: CurrentCaller,
    generate: Provided[GenerateImage],
    list_models: Provided[ListModels],
    open_media: Provided[OpenMedia],
) -> ImagesOut:
    """One image (`n` 1); `size` picks the nearest aspect ratio; `response_format` `url`
    (the default) is this API's `/media/{id}`, fetched with the same bearer; `b64_json`
    carries the bytes."""
    if (body.n or 1) > 1:
        raise InvalidGenerationRequestError("Only n = 1 is supported.")
    ratio = aspect_ratio_of(body.size)
    await known_model(list_models, body.model, "image")
    done = await generate.execute(
        user_id=caller.user.id,
        model=body.model,
        prompt=body.prompt,
        aspect_ratio=ratio,
        origin={"via": "v1", "api_key": key_name(caller)},
    )
    data = [await image_data(body, request, caller, open_media, media.id) for media in done.media]
    return ImagesOut(created=int(done.created_at.timestamp()), data=data)


async def image_data(
    body: ImageGenerationIn, request: Request, caller: Caller, open_media: OpenMedia, media: str
) -> ImageDataOut:
    if body.response_format != "b64_json":
        return ImageDataOut(url=str(request.base_url.replace(path=f"/media/{media}")))
    _, stored = await open_media.execute(
        media_id=media, user_id=caller.user.id, is_admin=caller.user.is_admin
    )
    raw = await asyncio.to_thread(Path(stored.path).read_bytes)
    return ImageDataOut(b64_json=base64.b64encode(raw).decode("ascii"))
