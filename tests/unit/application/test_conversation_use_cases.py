"""Use cases of conversations on fakes: turns, trimming, titles, regeneration, ownership."""

from __future__ import annotations

import json

import pytest

from application.conversations.delete_conversation import DeleteConversation
from application.conversations.export_conversation import ExportConversation
from application.conversations.get_conversation import GetConversation
from application.conversations.list_conversations import ListConversations
from application.conversations.regenerate_answer import RegenerateAnswer
from application.conversations.send_message import SendMessage
from application.conversations.update_conversation import UpdateConversation
from application.errors import NotFoundError, UpstreamUnavailableError
from domain.conversations import ChatTurn, InvalidConversationError, MessageStatus, Role
from domain.generations import GenerationKind, GenerationStatus
from tests.unit.conversation_kit import MODEL, exchanges, last_request, started, user
from tests.unit.world import World


async def test_the_third_message_is_sent_with_the_first_two_exchanges(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada, system="Be brief.")
    send = SendMessage(exchanges(world))
    for text in ("first question", "second question", "third question"):
        world.clock.advance(seconds=1)
        exchange = await send.execute(user_id=ada, conversation_id=chat, content=text)

    request = last_request(world)
    assert request.system == "Be brief."
    assert request.prompt == "third question"
    assert request.history == (
        ChatTurn(Role.USER, "first question"),
        ChatTurn(Role.ASSISTANT, "echo: first question"),
        ChatTurn(Role.USER, "second question"),
        ChatTurn(Role.ASSISTANT, "echo: second question"),
    )
    assert exchange.context_trimmed == 0
    assert exchange.assistant_message.position == 5
    assert exchange.assistant_message.status is MessageStatus.COMPLETED
    assert exchange.conversation.message_count == 6


async def test_each_exchange_is_a_text_generation_naming_its_conversation(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    exchange = await SendMessage(exchanges(world)).execute(
        user_id=ada, conversation_id=chat, content="hello"
    )
    generation = world.uow.generations.rows[exchange.assistant_message.generation_id or ""]
    assert generation.kind is GenerationKind.TEXT
    assert generation.status is GenerationStatus.SUCCEEDED
    assert json.loads(generation.options or "{}")["conversation_id"] == chat
    assert exchange.assistant_message.usage == generation.usage


async def test_turns_that_do_not_fit_the_window_are_trimmed_and_reported(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    roomy = SendMessage(exchanges(world))
    for text in ("a" * 100, "b" * 100):
        await roomy.execute(user_id=ada, conversation_id=chat, content=text)
    # room 300 - 100 (max_tokens) - 104 (message) = 96: only the last answer's 112 does not
    tight = SendMessage(exchanges(world, {MODEL: 330}))
    exchange = await tight.execute(
        user_id=ada, conversation_id=chat, content="c" * 100, max_tokens=100
    )
    assert exchange.context_trimmed == 4
    assert last_request(world).history == ()
    wide = SendMessage(exchanges(world, {MODEL: 1000}))
    exchange = await wide.execute(user_id=ada, conversation_id=chat, content="d", max_tokens=100)
    assert exchange.context_trimmed == 0
    assert len(last_request(world).history) == 6


async def test_failed_answers_are_stored_but_not_sent_as_context(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    send = SendMessage(exchanges(world))
    world.gateway.fail_with = UpstreamUnavailableError()
    with pytest.raises(UpstreamUnavailableError):
        await send.execute(user_id=ada, conversation_id=chat, content="lost one")
    world.gateway.fail_with = None
    await send.execute(user_id=ada, conversation_id=chat, content="again")

    assert last_request(world).history == (ChatTurn(Role.USER, "lost one"),)
    found = await GetConversation(world.uow).execute(user_id=ada, conversation_id=chat)
    statuses = [(m.role, m.status, m.error_code) for m in found.messages]
    assert statuses[1] == (Role.ASSISTANT, MessageStatus.FAILED, "upstream_unavailable")
    assert len(found.messages) == 4


async def test_the_first_message_names_the_conversation_until_it_is_renamed(
    world: World,
) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    send = SendMessage(exchanges(world))
    exchange = await send.execute(
        user_id=ada,
        conversation_id=chat,
        content="How do I keep a DuckDB write durable when the process is killed mid-way?",
    )
    assert (
        exchange.conversation.title == "How do I keep a DuckDB write durable when the process is…"
    )
    update = UpdateConversation(world.uow, world.clock, world.locks)
    renamed = await update.execute(user_id=ada, conversation_id=chat, title="Durability")
    assert (renamed.title, renamed.titled) == ("Durability", True)
    named = await started(world, ada, title="Named")
    await send.execute(user_id=ada, conversation_id=named, content="not the title")
    found = await GetConversation(world.uow).execute(user_id=ada, conversation_id=named)
    assert found.conversation.title == "Named"


async def test_regenerating_supersedes_the_previous_answer(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    ex = exchanges(world)
    await SendMessage(ex).execute(user_id=ada, conversation_id=chat, content="one")
    await SendMessage(ex).execute(user_id=ada, conversation_id=chat, content="two")
    again = await RegenerateAnswer(ex).execute(user_id=ada, conversation_id=chat)

    assert last_request(world).prompt == "two"
    assert len(last_request(world).history) == 2
    assert again.user_message.content == "two"
    messages = (
        await GetConversation(world.uow).execute(user_id=ada, conversation_id=chat)
    ).messages
    answers = [m for m in messages if m.reply_to == again.user_message.id]
    assert [m.superseded for m in answers] == [True, False]
    await SendMessage(ex).execute(user_id=ada, conversation_id=chat, content="three")
    assert [t.content for t in last_request(world).history] == [
        "one",
        "echo: one",
        "two",
        "echo: two",
    ]


async def test_someone_elses_conversation_does_not_exist(world: World) -> None:
    ada = await user(world)
    eve = await user(world, "eve@example.com")
    chat = await started(world, ada)
    ex = exchanges(world)
    with pytest.raises(NotFoundError):
        await SendMessage(ex).execute(user_id=eve, conversation_id=chat, content="hi")
    with pytest.raises(NotFoundError):
        await GetConversation(world.uow).execute(user_id=eve, conversation_id=chat)
    with pytest.raises(NotFoundError):
        await DeleteConversation(world.uow, world.locks).execute(user_id=eve, conversation_id=chat)
    page = await ListConversations(world.uow).execute(user_id=eve, limit=10)
    assert page.items == []


async def test_an_empty_message_is_refused_before_anything_is_stored(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada)
    with pytest.raises(InvalidConversationError):
        await SendMessage(exchanges(world)).execute(user_id=ada, conversation_id=chat, content=" ")
    assert world.uow.conversations.messages_by_id == {}
    assert world.gateway.requests == []


async def test_the_list_is_most_recent_first_in_pages_and_searchable(world: World) -> None:
    ada = await user(world)
    send = SendMessage(exchanges(world))
    chats = []
    for index in range(5):
        world.clock.advance(seconds=1)
        chats.append(await started(world, ada, title=f"Chat {index}"))
    world.clock.advance(seconds=1)
    await send.execute(user_id=ada, conversation_id=chats[1], content="About Quokkas")
    listing = ListConversations(world.uow)
    first = await listing.execute(user_id=ada, limit=2)
    assert [c.id for c in first.items] == [chats[1], chats[4]]
    rest = await listing.execute(user_id=ada, limit=10, cursor=first.next_cursor)
    assert [c.id for c in rest.items] == [chats[3], chats[2], chats[0]]
    assert rest.next_cursor is None
    found = await listing.execute(user_id=ada, limit=10, query="QUOKKA")
    assert [(c.id, c.message_count) for c in found.items] == [(chats[1], 2)]
    assert (await listing.execute(user_id=ada, limit=10, query="%")).items == []


async def test_deleting_a_conversation_or_its_user_removes_the_messages(world: World) -> None:
    ada = await user(world)
    bob = await user(world, "bob@example.com")
    ex = exchanges(world)
    chats = {owner: await started(world, owner) for owner in (ada, bob, ada)}
    for owner, chat in chats.items():
        await SendMessage(ex).execute(user_id=owner, conversation_id=chat, content="hi")
    await DeleteConversation(world.uow, world.locks).execute(
        user_id=bob, conversation_id=chats[bob]
    )
    assert {m.user_id for m in world.uow.conversations.messages_by_id.values()} == {ada}
    await world.delete_user().execute(actor_id="admin", user_id=ada)
    assert world.uow.conversations.rows == {}
    assert world.uow.conversations.messages_by_id == {}


async def test_export_as_markdown_and_json(world: World) -> None:
    ada = await user(world)
    chat = await started(world, ada, system="Be brief.")
    await SendMessage(exchanges(world)).execute(user_id=ada, conversation_id=chat, content="hi")
    export = ExportConversation(GetConversation(world.uow))
    md = await export.execute(user_id=ada, conversation_id=chat, format="markdown")
    assert md.media_type.startswith("text/markdown")
    assert md.body.startswith("# hi\n")
    assert "## System\n\nBe brief." in md.body
    assert "## Assistant (openai/gpt-4o-mini)\n\necho: hi" in md.body
    doc = await export.execute(user_id=ada, conversation_id=chat, format="json")
    assert [m["role"] for m in json.loads(doc.body)["messages"]] == ["user", "assistant"]
    assert doc.filename == "hi.json"
    with pytest.raises(InvalidConversationError):
        await export.execute(user_id=ada, conversation_id=chat, format="pdf")
