"""Text and image generation, history, ownership and the model catalogue, on fakes."""

from __future__ import annotations

import pytest

from application.errors import (
    NotFoundError,
    UpstreamRejectedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from application.ports.generation import GeneratedImage, TextDelta
from domain.errors import InvalidGenerationRequestError as Invalid
from domain.generations import Generation, GenerationKind, GenerationStatus
from tests.fake_gateway import png_bytes
from tests.unit.world import World

MODEL = "openai/gpt-4o-mini"


async def test_a_text_generation_is_recorded_with_who_served_it(world: World) -> None:
    generation = await world.generate_text().execute(user_id="u1", model=MODEL, prompt="hi")
    stored = world.uow.generations.rows[generation.id]
    assert stored.status is GenerationStatus.SUCCEEDED
    assert (stored.text, stored.served_model, stored.provider) == (
        "echo: hi",
        MODEL,
        "FakeProvider",
    )
    assert stored.usage.cost == pytest.approx(0.0012)
    assert world.gateway.requests[0].max_tokens > 0  # always sent upstream


async def test_a_failed_generation_is_recorded_and_the_error_raised(world: World) -> None:
    world.gateway.fail_with = UpstreamRejectedError()
    with pytest.raises(UpstreamRejectedError):
        await world.generate_text().execute(user_id="u1", model=MODEL, prompt="bad idea")
    [stored] = world.uow.generations.rows.values()
    assert (stored.status, stored.error_code) == (GenerationStatus.FAILED, "upstream_rejected")


@pytest.mark.parametrize(
    ("model", "prompt"),
    [
        ("gpt-4o", "hi"),
        ("Openai/gpt", "hi"),
        ("openai/gpt 4", "hi"),
        (MODEL, "   "),
        (MODEL, "x" * 32_001),
    ],
)
async def test_bad_input_is_refused_before_anything_goes_upstream(
    world: World, model: str, prompt: str
) -> None:
    with pytest.raises(Invalid):
        await world.generate_text().execute(user_id="u1", model=model, prompt=prompt)
    assert world.gateway.requests == []
    assert world.uow.generations.rows == {}


async def test_a_stream_yields_deltas_then_the_recorded_generation(world: World) -> None:
    use_case = world.stream_text()
    request, generation = use_case.prepare(user_id="u1", model=MODEL, prompt="hello")
    events = [event async for event in use_case.execute(request, generation)]
    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "Hello",
        " there",
        ", ",
        "friend",
    ]
    final = events[-1]
    assert isinstance(final, Generation)
    assert world.uow.generations.rows[final.id].text == "Hello there, friend"


async def test_a_stream_that_fails_midway_keeps_the_partial_text(world: World) -> None:
    world.gateway.fail_with, world.gateway.fail_after_deltas = UpstreamUnavailableError(), 2
    use_case = world.stream_text()
    request, generation = use_case.prepare(user_id="u1", model=MODEL, prompt="hello")
    with pytest.raises(UpstreamUnavailableError):
        async for _ in use_case.execute(request, generation):
            pass
    stored = world.uow.generations.rows[generation.id]
    assert (stored.status, stored.text) == (GenerationStatus.FAILED, "Hello there")


async def test_a_stream_the_client_leaves_is_recorded_as_cancelled(world: World) -> None:
    use_case = world.stream_text()
    request, generation = use_case.prepare(user_id="u1", model=MODEL, prompt="hello")
    stream = use_case.execute(request, generation)
    await anext(stream)
    await stream.aclose()
    stored = world.uow.generations.rows[generation.id]
    assert (stored.error_code, stored.text) == ("stream_cancelled", "Hello")


async def test_images_are_stored_as_media_with_their_real_size(world: World) -> None:
    generation = await world.generate_image().execute(
        user_id="u1", model="google/gemini-2.5-flash-image", prompt="a cat", aspect_ratio="16:9"
    )
    [ref] = generation.media
    assert (ref.content_type, ref.width, ref.height, ref.owner_id) == ("image/png", 16, 9, "u1")
    assert world.media.files[ref.id] == png_bytes(16, 9)


async def test_an_unreadable_image_from_upstream_fails_cleanly(world: World) -> None:
    world.gateway.images = [GeneratedImage(b"<html>not an image</html>", "image/png")]
    with pytest.raises(UpstreamUnavailableError):
        await world.generate_image().execute(user_id="u1", model="a/b", prompt="a cat")
    assert world.media.files == {}
    [stored] = world.uow.generations.rows.values()
    assert stored.status is GenerationStatus.FAILED


async def test_an_unknown_aspect_ratio_is_refused(world: World) -> None:
    with pytest.raises(Invalid):
        await world.generate_image().execute(
            user_id="u1", model="a/b", prompt="x", aspect_ratio="7:3"
        )


async def test_history_is_private_newest_first_and_paged(world: World) -> None:
    for index in range(5):
        world.clock.advance(seconds=1)
        await world.generate_text().execute(user_id="u1", model=MODEL, prompt=f"p{index}")
    await world.generate_text().execute(user_id="u2", model=MODEL, prompt="other")
    first = await world.list_generations().execute(user_id="u1", kind=None, limit=3, cursor=None)
    assert [g.prompt for g in first.items] == ["p4", "p3", "p2"]
    rest = await world.list_generations().execute(
        user_id="u1", kind=GenerationKind.TEXT, limit=3, cursor=first.next_cursor
    )
    assert ([g.prompt for g in rest.items], rest.next_cursor) == (["p1", "p0"], None)


async def test_others_see_a_generation_as_missing_admins_see_it(world: World) -> None:
    generation = await world.generate_image().execute(user_id="u1", model="a/b", prompt="x")
    with pytest.raises(NotFoundError):
        await world.get_generation().execute(
            generation_id=generation.id, user_id="u2", is_admin=False
        )
    with pytest.raises(NotFoundError):
        await world.open_media().execute(
            media_id=generation.media[0].id, user_id="u2", is_admin=False
        )
    seen = await world.get_generation().execute(
        generation_id=generation.id, user_id="u9", is_admin=True
    )
    assert seen.id == generation.id


async def test_deleting_a_generation_removes_its_media(world: World) -> None:
    generation = await world.generate_image().execute(user_id="u1", model="a/b", prompt="x")
    with pytest.raises(NotFoundError):
        await world.delete_generation().execute(
            generation_id=generation.id, user_id="u2", is_admin=False
        )
    await world.delete_generation().execute(
        generation_id=generation.id, user_id="u1", is_admin=False
    )
    assert (world.uow.generations.rows, world.media.files) == ({}, {})
    with pytest.raises(NotFoundError):
        await world.delete_generation().execute(
            generation_id=generation.id, user_id="u1", is_admin=False
        )


async def test_the_model_list_is_cached_and_a_stale_copy_beats_an_outage(world: World) -> None:
    first = await world.list_models().execute(output="text")
    world.gateway.models = UpstreamTimeoutError()
    assert await world.list_models().execute(output="text") == first
    world.clock.advance(hours=5)
    assert await world.list_models().execute(output="text") == first
    with pytest.raises(UpstreamTimeoutError):
        await world.list_models().execute(output="image")
