"""The chat page without JavaScript: the list, new, send (PRG), regenerate, rename, delete."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.chat_pages import OWNER, conversation, post_form, send
from tests.web.conftest import FakeApi, problem


def test_the_navigation_has_chat_and_keeps_the_one_shot_text_page(signed_in: FlaskClient) -> None:
    page = signed_in.get("/dashboard").text

    assert '<a href="/chat">Chat</a>' in page
    assert '<a href="/text">Text</a>' in page


def test_the_sidebar_lists_only_ones_own_conversations_and_searches_them(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    conversation(fake_api, "Lighthouses")
    conversation(fake_api, "Tide tables")
    fake_api.chat.add("someone@example.com", "Not yours")

    everything = signed_in.get("/chat").text
    searched = signed_in.get("/chat?q=tide").text

    assert "Lighthouses" in everything and "Tide tables" in everything
    assert "Not yours" not in everything
    assert "Tide tables" in searched and "Lighthouses" not in searched
    assert "GET /conversations?limit=50&q=tide" in fake_api.calls


def test_a_new_chat_is_created_and_opened(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    response = post_form(signed_in, "/chat/new", "/chat", title="Trip planning")

    assert response.status_code == 302
    assert response.headers["Location"] == "/chat/c1"
    page = signed_in.get("/chat/c1").text
    assert '<h1 id="chat-heading" data-testid="chat-title">Trip planning</h1>' in page
    assert "No messages yet" in page
    assert 'data-stream-url="/chat/c1/stream"' in page


def test_a_message_is_sent_without_javascript_and_the_answer_shown_rendered(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)

    response = send(signed_in, chat, "Tell me <b>about</b> lighthouses")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/chat/{chat}#latest"
    assert fake_api.chat.bodies == [
        {"content": "Tell me <b>about</b> lighthouses", "model": "openai/gpt-4o-mini"}
    ]
    page = signed_in.get(f"/chat/{chat}").text
    assert "Tell me &lt;b&gt;about&lt;/b&gt; lighthouses" in page  # what was typed, as text
    assert "<strong>bold</strong>" in page  # the answer, as safe markdown
    assert "12 prompt + 30 completion = 42 tokens" in page
    assert 'id="regenerate-form"' in page


def test_a_hostile_answer_is_sanitised(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)
    send(signed_in, chat, "<script>alert(1)</script> [x](javascript:alert(2))")

    page = signed_in.get(f"/chat/{chat}").text

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page


def test_an_empty_message_never_reaches_the_api(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)

    response = send(signed_in, chat, "")

    assert response.status_code == 400
    assert "Write a message." in response.text
    assert fake_api.chat.bodies == []


def test_a_refusal_that_stores_nothing_keeps_the_message_typed(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    fake_api.forced[f"/conversations/{chat}/messages"] = problem(402, "budget_exceeded")

    response = send(signed_in, chat, "One more question")

    assert response.status_code == 400
    assert "You have reached your spending limit." in response.text
    assert "One more question</textarea>" in response.text


def test_a_failed_answer_is_stored_and_shown_marked(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    fake_api.chat.fail_next = problem(502, "upstream_unavailable", reason="provider_down")

    response = send(signed_in, chat, "Hello?")
    page = signed_in.get(response.headers["Location"]).text

    assert response.status_code == 302
    assert "The AI provider is having trouble right now." in page
    assert 'data-testid="message-status">Failed</span>' in page


def test_regenerate_keeps_the_old_answer_collapsed(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    chat = conversation(fake_api)
    send(signed_in, chat, "Hello")

    response = post_form(
        signed_in, f"/chat/{chat}/regenerate", f"/chat/{chat}", model="minimax/minimax-m2:free"
    )
    page = signed_in.get(f"/chat/{chat}").text

    assert response.status_code == 302
    assert fake_api.chat.bodies[-1] == {"model": "minimax/minimax-m2:free"}
    assert "<summary>An earlier answer (replaced by a regenerated one)</summary>" in page
    assert page.index("message-superseded") < page.index("Regenerated Reply to: Hello")
    assert 'data-last="true"' in page


def test_a_conversation_is_renamed(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)

    response = post_form(signed_in, f"/chat/{chat}/rename", f"/chat/{chat}", title=" Seafaring ")
    empty = post_form(signed_in, f"/chat/{chat}/rename", f"/chat/{chat}", title="")

    assert response.headers["Location"] == f"/chat/{chat}"
    assert fake_api.chat.items[chat]["title"] == "Seafaring"
    assert empty.status_code == 302
    assert "Enter a title." in signed_in.get(f"/chat/{chat}").text


def test_delete_asks_first_then_deletes(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    chat = conversation(fake_api)

    question = signed_in.get(f"/chat/{chat}/delete")
    response = post_form(signed_in, f"/chat/{chat}/delete", f"/chat/{chat}/delete")

    assert "Delete “Lighthouses”?" in question.text
    assert response.headers["Location"] == "/chat"
    assert chat not in fake_api.chat.items
    assert "The conversation was deleted." in signed_in.get("/chat").text


def test_someone_elses_conversation_is_not_found(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    theirs = fake_api.chat.add("someone@example.com", "Theirs")["id"]

    assert signed_in.get(f"/chat/{theirs}").status_code == 404
    assert signed_in.get(f"/chat/{theirs}/delete").status_code == 404
    assert signed_in.get("/chat/not..an..id").status_code == 404
    assert fake_api.chat.owners[theirs] != OWNER


def test_the_chat_page_needs_a_sign_in(client: FlaskClient) -> None:
    response = client.get("/chat")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/chat"
