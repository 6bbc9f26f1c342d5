"""Generation routes: models, text (plain and streamed), images."""

from __future__ import annotations

import inspect
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.list_models import ListModels
from application.generation.stream_text import StreamText
from entrypoints.api.deps import CurrentCaller, Provided
from entrypoints.api.problems import AUTHED, SPEND, UPSTREAM, documented, problem_responses
from entrypoints.api.schemas.generation import (
    ImageIn,
    ImageOut,
    ModelListOut,
    ModelOut,
    TextIn,
    TextOut,
)
from entrypoints.api.sse import started_stream, stream_response, text_done

router = APIRouter(tags=["generation"])


@router.get(
    "/models",
    **documented(ListModels, *AUTHED, *UPSTREAM),
)
async def models(
    caller: CurrentCaller,
    list_models: Provided[ListModels],
    output: Annotated[Literal["text", "image", "video"], Query()] = "text",
) -> ModelListOut:
    found = await list_models.execute(output=output)
    return ModelListOut(data=[ModelOut.of(model) for model in found])


@router.post(
    "/generate/text",
    **documented(GenerateText, *AUTHED, *SPEND, *UPSTREAM),
)
async def generate_text(
    body: TextIn, caller: CurrentCaller, generate: Provided[GenerateText]
) -> TextOut:
    generation = await generate.execute(user_id=caller.user.id, **body.model_dump())
    return TextOut.of(generation)


@router.post(
    "/generate/text/stream",
    responses={
        **problem_responses(*AUTHED, *SPEND, *UPSTREAM),
        200: stream_response("a TextResponse"),
    },
    description=inspect.getdoc(StreamText),
    response_class=StreamingResponse,
)
async def stream_text(
    body: TextIn, caller: CurrentCaller, stream: Provided[StreamText]
) -> StreamingResponse:
    request, generation = stream.prepare(user_id=caller.user.id, **body.model_dump())
    return StreamingResponse(
        await started_stream(stream.execute(request, generation), text_done),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/generate/image",
    **documented(GenerateImage, *AUTHED, *SPEND, *UPSTREAM),
)
async def generate_image(
    body: ImageIn, caller: CurrentCaller, generate: Provided[GenerateImage]
) -> ImageOut:
    generation = await generate.execute(user_id=caller.user.id, **body.model_dump())
    return ImageOut.of(generation)
