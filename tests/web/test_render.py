"""security.md #42: model output is rendered inert, wherever it is shown."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from entrypoints.web.render import render_markdown
from tests.web.conftest import FakeApi, csrf_token

HOSTILE = """Here you go:

<script>alert(1)</script>

<img src=x onerror=alert(1)>

[click me](javascript:alert(1)) and [also](JaVaScRiPt:alert(2))

<a href="javascript:alert(3)">raw link</a>

[fine](https://example.com/a?b=c) <mailto:ada@example.com> [local](/logout)

```html
<script>alert(4)</script>
```
"""


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def assert_inert(html: str) -> None:
    found = tags(html)
    assert not [tag for tag, _ in found if tag in {"script", "img", "iframe", "style"}], html
    for tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith("javascript:"), (tag, attrs)
        if tag == "a":
            assert attrs.get("rel") == "noopener noreferrer nofollow"
            assert href == "" or href.startswith(("https:", "http:", "mailto:"))


def test_hostile_markdown_renders_inert() -> None:
    html = str(render_markdown(HOSTILE))

    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not run
    hrefs = [attrs.get("href") for tag, attrs in tags(html) if tag == "a" and attrs.get("href")]
    assert hrefs == ["https://example.com/a?b=c", "mailto:ada@example.com"]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**bold** and *em*", "<p><strong>bold</strong> and <em>em</em></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("`a < b`", "<p><code>a &lt; b</code></p>"),
    ],
)
def test_ordinary_markdown_still_renders(markdown: str, expected: str) -> None:
    assert str(render_markdown(markdown)).strip() == expected


def test_the_no_js_text_page_renders_a_hostile_answer_inert(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.answer = HOSTILE
    data = {
        "model": "openai/gpt-4o-mini",
        "prompt": "Be evil",
        "csrf_token": csrf_token(signed_in, "/text"),
    }

    page = signed_in.post("/text", data=data).text

    answer = page[page.index('id="answer-body"') : page.index('id="answer-raw"')]
    assert_inert(answer)
    assert "[click me](javascript:alert(1))" in answer  # kept as text only


def test_the_streamed_done_event_carries_an_inert_rendering(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.answer = HOSTILE
    token = csrf_token(signed_in, "/text")

    body = signed_in.post(
        "/text/stream",
        data={"model": "openai/gpt-4o-mini", "prompt": "Be evil"},
        headers={"X-CSRFToken": token},
    ).text

    done = json.loads(body.rsplit("event: done\ndata: ", 1)[1])
    assert_inert(done["rendered_html"])
    assert done["text"] == HOSTILE  # the raw text, for the copy button only


def test_the_history_renders_a_hostile_answer_inert(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.gen.add("text", text=HOSTILE, prompt="<script>alert(5)</script>")

    page = signed_in.get("/history/g1").text

    answer = page[page.index('data-testid="answer-body"') : page.index("<details")]
    assert_inert(answer)
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in page  # the prompt, as text
