"""History and media routes: a user's own generations and the files they produced."""

from __future__ import annotations

import asyncio
import inspect
import os
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from application.errors import NotFoundError
from application.generation.delete_generation import DeleteGeneration
from application.generation.get_generation import GetGeneration
from application.generation.list_generations import ListGenerations
from application.generation.open_media import OpenMedia
from domain.generations import GenerationKind
from entrypoints.api.deps import CurrentCaller, Provided
from entrypoints.api.media_file import MediaFileResponse, range_answer
from entrypoints.api.problems import AUTHED, documented, problem_response, problem_responses
from entrypoints.api.schemas.generation import GenerationOut, GenerationPageOut

router = APIRouter(tags=["history"])
MEDIA_TYPES: dict[str, dict[str, str]] = {
    "image/png": {},
    "image/jpeg": {},
    "image/webp": {},
    "video/mp4": {},
}


@router.get("/generations", **documented(ListGenerations, *AUTHED))
async def list_generations(
    caller: CurrentCaller,
    history: Provided[ListGenerations],
    kind: Annotated[Literal["text", "image", "video"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> GenerationPageOut:
    page = await history.execute(
        user_id=caller.user.id,
        kind=GenerationKind(kind) if kind else None,
        limit=limit,
        cursor=cursor,
    )
    return GenerationPageOut(
        data=[GenerationOut.of(g) for g in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/generations/{generation_id}",
    **documented(GetGeneration, *AUTHED, "not_found"),
)
async def get_generation(
    generation_id: str, caller: CurrentCaller, get: Provided[GetGeneration]
) -> GenerationOut:
    generation = await get.execute(
        generation_id=generation_id, user_id=caller.user.id, is_admin=caller.is_admin
    )
    return GenerationOut.of(generation)


@router.delete(
    "/generations/{generation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **documented(DeleteGeneration, *AUTHED, "not_found", "conflict"),
)
async def delete_generation(
    generation_id: str, caller: CurrentCaller, delete: Provided[DeleteGeneration]
) -> Response:
    await delete.execute(
        generation_id=generation_id, user_id=caller.user.id, is_admin=caller.is_admin
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/media/{media_id}",
    responses={
        **problem_responses(*AUTHED, "not_found", "range_not_satisfiable"),
        200: {"content": MEDIA_TYPES, "description": "the file"},
        206: {"content": MEDIA_TYPES, "description": "the requested byte range(s)"},
    },
    description=inspect.getdoc(OpenMedia),
    response_class=Response,
)
async def media(
    media_id: str, request: Request, caller: CurrentCaller, open_media: Provided[OpenMedia]
) -> Response:
    """Streamed from disk, never read whole into memory; `Range` is honoured (206), and a
    range past the end is 416 with `Content-Range: bytes */size`."""
    ref, stored = await open_media.execute(
        media_id=media_id, user_id=caller.user.id, is_admin=caller.is_admin
    )
    try:
        stat = await asyncio.to_thread(os.stat, stored.path)
    except FileNotFoundError as exc:  # deleted just now
        raise NotFoundError() from exc
    answer = range_answer(request.headers.get("range"), stat.st_size)
    if answer == "unsatisfiable":
        problem = problem_response(
            "range_not_satisfiable", f"The file has {stat.st_size} bytes.", request
        )
        problem.headers["Content-Range"] = f"bytes */{stat.st_size}"
        return problem
    headers = {
        "Content-Disposition": f'inline; filename="{ref.id}"',  # security.md: served as data
        "Cache-Control": "private, max-age=3600",
    }
    return MediaFileResponse(stored.path, stat, ref.content_type, headers, whole=answer == "whole")
