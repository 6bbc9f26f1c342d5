"""The history: newest first, filtered by kind, paged by cursor, and deleted after confirming."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token, problem
from tests.web.fake_generation import png


def items(page: str) -> list[str]:
    """The generation ids listed on a history page, in order."""
    return re.findall(r'class="history-link" href="/history/(g\d+)"', page)


def load_more(page: str) -> str | None:
    match = re.search(r'id="load-more" href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_history_lists_newest_first_and_loads_more(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    for _ in range(25):
        fake_api.gen.add("text")

    first = signed_in.get("/history").text
    more = load_more(first)
    assert more == "/history?cursor=20"
    second = signed_in.get(more).text

    assert items(first) == [f"g{n}" for n in range(25, 5, -1)]
    assert items(second) == ["g5", "g4", "g3", "g2", "g1"]
    assert load_more(second) is None
    assert "GET /generations?limit=20" in fake_api.calls
    assert "GET /generations?limit=20&cursor=20" in fake_api.calls
    assert '<script src="/static/history.js" defer></script>' in first


def test_each_item_shows_kind_model_status_prompt_and_time(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    image = fake_api.gen.add_media("image/png", png(2, 2), 2, 2)
    fake_api.gen.add(
        "image",
        prompt="A lighthouse " * 30,
        media=[image],
        served_model=None,
        model="google/gemini-2.5-flash-image",
        status="failed",
    )

    page = signed_in.get("/history").text

    assert '<span class="badge">image</span>' in page
    assert '<span class="badge badge-failed">failed</span>' in page
    assert "<span>google/gemini-2.5-flash-image</span>" in page
    assert '<time datetime="2025-01-01T10:02:00Z">2025-01-01 10:02 UTC</time>' in page
    assert re.search(r'<span class="history-prompt">(A lighthouse ){10}.*…</span>', page)
    assert f'<img class="thumb" src="{image["url"]}" alt=""' in page


def test_the_kind_filter_asks_the_api_for_that_kind(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.add("text")
    fake_api.gen.add("image")

    page = signed_in.get("/history?kind=image").text

    assert items(page) == ["g2"]
    assert '<a href="/history?kind=image" aria-current="page">Images</a>' in page
    assert "GET /generations?limit=20&kind=image" in fake_api.calls
    signed_in.get("/history?kind=everything")
    assert fake_api.calls[-1] == "GET /generations?limit=20"


def test_a_stale_cursor_goes_back_to_the_newest(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.forced["/generations"] = problem(422, "validation_error")

    response = signed_in.get("/history?kind=text&cursor=bogus")

    assert response.location == "/history?kind=text"


def test_an_empty_history_points_to_the_generators(signed_in: FlaskClient) -> None:
    page = signed_in.get("/history").text

    assert "Nothing here yet." in page
    assert 'href="/text"' in page


def test_the_detail_page_shows_everything_about_a_failed_generation(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.add(
        "text",
        text=None,
        status="failed",
        error_code="upstream_timeout",
        prompt="Line one\nLine two",
    )

    page = signed_in.get("/history/g1").text

    assert '<div class="prompt-text" data-testid="prompt">Line one\nLine two</div>' in page
    assert "<code>upstream_timeout</code> · The AI provider took too long to answer." in page
    assert "12 prompt + 30 completion = 42 tokens · $0.00042" in page
    assert "(served by openai/gpt-4o-mini-2024-07-18)" in page


def test_the_detail_page_of_an_image_shows_its_files(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    image = fake_api.gen.add_media("image/png", png(3, 2), 3, 2)
    fake_api.gen.add("image", media=[image], prompt="Grey")

    page = signed_in.get("/history/g2").text

    assert f'<img src="{image["url"]}" alt="Generated for: Grey" width="3" height="2"' in page


def test_unknown_generations_are_not_found(signed_in: FlaskClient) -> None:
    assert signed_in.get("/history/g404").status_code == 404
    assert signed_in.get("/history/not..valid").status_code == 404


def test_delete_is_a_confirmed_post(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.gen.add("text")

    page = signed_in.get("/history/g1").text
    confirm = page[page.index('<details class="danger-zone">') : page.index("</details>")]

    assert "<summary>Delete this generation…</summary>" in confirm
    assert '<form method="post" action="/history/g1/delete">' in confirm
    assert page.count("/history/g1/delete") == 1  # no delete button outside the confirmation
    assert signed_in.get("/history/g1/delete").status_code == 405
    assert signed_in.post("/history/g1/delete").status_code == 400  # no CSRF token
    assert len(fake_api.gen.items) == 1

    token = csrf_token(signed_in, "/history/g1")
    response = signed_in.post("/history/g1/delete", data={"csrf_token": token})

    assert response.location == "/history"
    assert fake_api.gen.items == []
    assert "DELETE /generations/g1" in fake_api.calls
    assert "The generation and its files were deleted." in signed_in.get("/history").text


def test_deleting_what_is_already_gone_says_so(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.gen.add("text")
    token = csrf_token(signed_in, "/history/g1")
    fake_api.gen.items.clear()

    response = signed_in.post("/history/g1/delete", data={"csrf_token": token})

    assert response.location == "/history"
    assert "That generation no longer exists." in signed_in.get("/history").text
