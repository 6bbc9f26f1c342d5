"""Conversations over the API: create, list (searched, paged), read, rename, delete, export;
someone else's is a 404, bad input a 422, no token a 401, every error a problem document."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Account
from tests.api.conversation_fixtures import sent, start, whole
from tests.api.generation_fixtures import TEXT_MODEL, ada, admin, api, bob  # noqa: F401
from tests.api.test_auth_api import assert_problem
from tests.simulator_fixtures import simulator, simulator_session  # noqa: F401

CONVERSATION_KEYS = {
    "id",
    "title",
    "system",
    "model",
    "created_at",
    "updated_at",
    "message_count",
}


def test_a_conversation_is_created_read_renamed_and_deleted(api: TestClient, ada: Account) -> None:
    chat = start(api, ada, title="Ducks", system="Be brief.")
    assert chat.keys() == CONVERSATION_KEYS
    assert (chat["title"], chat["system"], chat["model"], chat["message_count"]) == (
        "Ducks",
        "Be brief.",
        TEXT_MODEL,
        0,
    )
    assert whole(api, ada, chat["id"]) == {**chat, "messages": []}
    renamed = api.patch(
        f"/conversations/{chat['id']}", json={"title": "Geese"}, headers=ada.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["title"], renamed.json()["system"]) == ("Geese", "Be brief.")
    gone = api.delete(f"/conversations/{chat['id']}", headers=ada.headers)
    assert gone.status_code == 204 and gone.content == b""
    assert_problem(api.get(f"/conversations/{chat['id']}", headers=ada.headers), 404, "not_found")


def test_an_explicit_null_system_clears_it_an_absent_one_keeps_it(
    api: TestClient, ada: Account
) -> None:
    chat = start(api, ada, system="Answer in French.")
    url = f"/conversations/{chat['id']}"
    kept = api.patch(url, json={"model": "openai/gpt-4o-mini"}, headers=ada.headers).json()
    assert (kept["system"], kept["model"]) == ("Answer in French.", "openai/gpt-4o-mini")
    cleared = api.patch(url, json={"system": None}, headers=ada.headers)
    assert cleared.status_code == 200 and cleared.json()["system"] is None
    assert whole(api, ada, chat["id"])["system"] is None


def test_the_first_message_names_an_untitled_conversation(api: TestClient, ada: Account) -> None:
    chat = start(api, ada)
    assert chat["title"] == "New conversation"
    sent(api, ada, chat["id"], "How do ducks sleep?")
    assert whole(api, ada, chat["id"])["title"] == "How do ducks sleep?"


def test_someone_elses_conversation_is_404_on_every_route(
    api: TestClient, ada: Account, bob: Account
) -> None:
    chat = start(api, ada)["id"]
    sent(api, ada, chat, "Hello")
    base = f"/conversations/{chat}"
    for method, path, body in [
        ("GET", base, None),
        ("PATCH", base, {"title": "mine"}),
        ("DELETE", base, None),
        ("POST", f"{base}/messages", {"content": "hi"}),
        ("POST", f"{base}/messages/stream", {"content": "hi"}),
        ("POST", f"{base}/regenerate", {}),
        ("GET", f"{base}/export", None),
    ]:
        response = api.request(method, path, json=body, headers=bob.headers)
        assert_problem(response, 404, "not_found")
    assert api.get("/conversations", headers=bob.headers).json()["data"] == []
    assert whole(api, ada, chat)["message_count"] == 2  # nothing changed


def test_every_route_needs_a_token(api: TestClient, ada: Account) -> None:
    chat = start(api, ada)["id"]
    for method, path in [
        ("POST", "/conversations"),
        ("GET", "/conversations"),
        ("GET", f"/conversations/{chat}"),
        ("PATCH", f"/conversations/{chat}"),
        ("DELETE", f"/conversations/{chat}"),
        ("POST", f"/conversations/{chat}/messages"),
        ("POST", f"/conversations/{chat}/messages/stream"),
        ("POST", f"/conversations/{chat}/regenerate"),
        ("GET", f"/conversations/{chat}/export"),
    ]:
        response = api.request(method, path, json={"content": "hi"})
        assert_problem(response, 401, "not_authenticated")
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "content",
    ["", "   \n\t ", "x" * 32_001],
    ids=["empty", "blank", "oversized"],
)
def test_an_empty_or_oversized_message_is_422_and_stores_nothing(
    api: TestClient, ada: Account, content: str
) -> None:
    chat = start(api, ada)["id"]
    for path in ("messages", "messages/stream"):
        response = api.post(
            f"/conversations/{chat}/{path}", json={"content": content}, headers=ada.headers
        )
        assert_problem(response, 422, "validation_error")
    assert whole(api, ada, chat)["messages"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "t" * 201},
        {"title": "   "},
        {"system": "s" * 32_001},
        {"model": "not a model"},
        {"colour": "blue"},
    ],
)
def test_bad_conversation_fields_are_422(
    api: TestClient, ada: Account, body: dict[str, str]
) -> None:
    assert_problem(
        api.post("/conversations", json=body, headers=ada.headers), 422, "validation_error"
    )
    chat = start(api, ada)["id"]
    patched = api.patch(f"/conversations/{chat}", json=body, headers=ada.headers)
    assert_problem(patched, 422, "validation_error")


def test_bad_answer_options_and_a_deep_body_are_422(api: TestClient, ada: Account) -> None:
    chat = start(api, ada)["id"]
    url = f"/conversations/{chat}/messages"
    for extra in ({"max_tokens": 0}, {"max_tokens": 128_001}, {"temperature": 3}):
        assert_problem(
            api.post(url, json={"content": "hi", **extra}, headers=ada.headers),
            422,
            "validation_error",
        )
    deep = b'{"content":' * 5000 + b'"x"' + b"}" * 5000
    headers = {**ada.headers, "content-type": "application/json"}
    assert_problem(api.post(url, content=deep, headers=headers), 422, "validation_error")
    regenerate = api.post(f"/conversations/{chat}/regenerate", json={}, headers=ada.headers)
    assert_problem(regenerate, 422, "validation_error")  # nothing to answer yet


def test_the_list_is_own_newest_first_searched_and_paged(
    api: TestClient, ada: Account, bob: Account
) -> None:
    ids = [start(api, ada, title=f"Chat {n}")["id"] for n in range(5)]
    sent(api, ada, ids[1], "Tell me about PELICANS")
    start(api, bob, title="Chat of bob")
    listed = api.get("/conversations", headers=ada.headers).json()
    assert [c["id"] for c in listed["data"]] == [ids[1], ids[4], ids[3], ids[2], ids[0]]
    assert listed["next_cursor"] is None
    found = api.get("/conversations", params={"q": "pelican"}, headers=ada.headers).json()
    assert [c["id"] for c in found["data"]] == [ids[1]]
    titled = api.get("/conversations", params={"q": "chat 3"}, headers=ada.headers).json()
    assert [c["id"] for c in titled["data"]] == [ids[3]]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/conversations", params=params, headers=ada.headers).json()
        seen += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [c["id"] for c in listed["data"]]
    for params in ({"limit": 0}, {"limit": 101}, {"cursor": "not-a-cursor"}):
        answer = api.get("/conversations", params=params, headers=ada.headers)
        assert_problem(answer, 422, "validation_error")


def test_export_in_markdown_and_json_as_a_download(api: TestClient, ada: Account) -> None:
    chat = start(api, ada, title="Duck facts", system="Be brief.")["id"]
    exchange = sent(api, ada, chat, "How do ducks sleep?")
    url = f"/conversations/{chat}/export"
    md = api.get(url, headers=ada.headers)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.headers["content-disposition"] == 'attachment; filename="Duck-facts.md"'
    assert md.text.startswith("# Duck facts\n") and "## User\n\nHow do ducks sleep?" in md.text
    assert exchange["assistant_message"]["content"] in md.text
    js = api.get(url, params={"format": "json"}, headers=ada.headers)
    assert js.headers["content-type"].startswith("application/json")
    assert js.headers["content-disposition"] == 'attachment; filename="Duck-facts.json"'
    document = json.loads(js.text)
    assert document["id"] == chat and len(document["messages"]) == 2
    shown = whole(api, ada, chat)["messages"]
    assert [(m["id"], m["content"]) for m in document["messages"]] == [
        (m["id"], m["content"]) for m in shown
    ]
    bad = api.get(url, params={"format": "pdf"}, headers=ada.headers)
    assert_problem(bad, 422, "validation_error")


def test_an_admin_sees_conversation_counts_in_the_stats(
    api: TestClient, ada: Account, admin: Account
) -> None:
    before = api.get("/admin/stats", headers=admin.headers).json()
    chat = start(api, ada)["id"]
    sent(api, ada, chat, "Hello")
    after = api.get("/admin/stats", headers=admin.headers).json()
    assert after["conversations"] == before["conversations"] + 1
    assert after["conversation_messages"] == before["conversation_messages"] + 2
    assert after["generations"]["text"] == before["generations"]["text"] + 1


def test_deleting_a_user_over_the_api_removes_their_conversations(
    api: TestClient, ada: Account, admin: Account
) -> None:
    chat = start(api, ada)["id"]
    sent(api, ada, chat, "Hello")
    assert api.delete(f"/users/{ada.id}", headers=admin.headers).status_code == 204
    stats = api.get("/admin/stats", headers=admin.headers).json()
    assert (stats["conversations"], stats["conversation_messages"]) == (0, 0)
