"""The ConversationRepository contract, on the fake unit of work and on DuckDB."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.sql.admin_readers import SqlStatsReader
from application.ports.system import UnitOfWork
from domain.conversations import Conversation, Message, MessageStatus, Role
from domain.generations import Usage
from tests.integration.conftest import NOW
from tests.integration.contracts import uow  # noqa: F401 (fixture)


def a_conversation(
    cid: str = "c1", user: str = "u1", minutes: int = 0, **fields: str
) -> Conversation:
    moment = NOW + timedelta(minutes=minutes)
    return Conversation(
        id=cid,
        user_id=user,
        title=fields.get("title", f"Title {cid}"),
        model="openai/gpt-4o",
        created_at=moment,
        updated_at=moment,
        system=fields.get("system"),
    )


def a_message(
    mid: str, position: int, cid: str = "c1", user: str = "u1", **fields: object
) -> Message:
    base = Message(
        id=mid,
        conversation_id=cid,
        user_id=user,
        position=position,
        role=Role.USER,
        content=f"text of {mid}",
        created_at=NOW,
    )
    return replace(base, **fields)


async def store(uow: UnitOfWork, *items: Conversation | Message) -> None:
    async with uow:
        for item in items:
            if isinstance(item, Conversation):
                await uow.conversations.add(item)
            else:
                await uow.conversations.add_message(item)
        await uow.commit()


async def test_a_conversation_and_its_messages_come_back_as_stored(uow: UnitOfWork) -> None:
    answer = a_message(
        "m2",
        1,
        role=Role.ASSISTANT,
        status=MessageStatus.CANCELLED,
        model="openai/gpt-4o",
        usage=Usage(3, 4, 7, 0.25),
        error_code="stream_cancelled",
        reply_to="m1",
        generation_id="g1",
        content="partial ünïcode",
    )
    await store(uow, a_conversation(system="Be brief."), answer, a_message("m1", 0))

    async with uow:
        found = await uow.conversations.get("c1")
        messages = await uow.conversations.messages("c1")
        last = await uow.conversations.last_position("c1")
        none = await uow.conversations.last_position("nothing")
        assert await uow.conversations.get("nothing") is None
    assert found == replace(a_conversation(system="Be brief."), message_count=2)
    assert messages == [a_message("m1", 0), answer]
    assert (last, none) == (1, -1)


async def test_update_and_supersede_persist_once_committed(uow: UnitOfWork) -> None:
    answer = a_message("m2", 1, role=Role.ASSISTANT, reply_to="m1")
    await store(uow, a_conversation(), a_message("m1", 0), answer)
    later = replace(
        a_conversation(),
        title="Renamed",
        titled=True,
        system="S",
        model="openai/gpt-4o-mini",
        updated_at=NOW + timedelta(hours=1),
    )
    async with uow:
        await uow.conversations.update(later)
        await uow.conversations.supersede("c1", "m1")
        await uow.commit()
    async with uow:  # rolled back
        await uow.conversations.update(replace(later, title="Never"))

    async with uow:
        found = await uow.conversations.get("c1")
        messages = await uow.conversations.messages("c1")
    assert found == replace(later, message_count=2)
    assert [m.superseded for m in messages] == [False, True]


async def test_pages_are_newest_first_own_only_and_keyset(uow: UnitOfWork) -> None:
    mine = [a_conversation(f"c{i}", minutes=i) for i in range(5)]
    same_time = a_conversation("c9", minutes=4)
    await store(uow, *mine, same_time, a_conversation("x1", user="u2", minutes=9))

    async with uow:
        first = await uow.conversations.page(user_id="u1", query=None, limit=3, before=None)
        last = first[-1]
        rest = await uow.conversations.page(
            user_id="u1", query=None, limit=10, before=(last.updated_at, last.id)
        )
    assert [c.id for c in first] == ["c9", "c4", "c3"]
    assert [c.id for c in rest] == ["c2", "c1", "c0"]


async def test_search_matches_titles_and_message_text_literally(uow: UnitOfWork) -> None:
    await store(
        uow,
        a_conversation("c1", title="Trip to Lisbon"),
        a_conversation("c2", title="Cooking", minutes=1),
        a_conversation("c3", title="100% sure_thing", minutes=2),
        a_message("m1", 0, cid="c2", content="A recipe with LISBON custard"),
        a_conversation("c4", user="u2", title="lisbon too"),
    )

    async def search(query: str) -> list[str]:
        async with uow:
            found = await uow.conversations.page(user_id="u1", query=query, limit=10, before=None)
        return [c.id for c in found]

    assert await search("lisbon") == ["c2", "c1"]
    assert await search("%") == ["c3"]
    assert await search("e_t") == ["c3"]
    assert await search("_") == ["c3"]
    assert await search("nothing") == []


async def test_deleting_a_conversation_or_a_user_takes_the_messages(uow: UnitOfWork) -> None:
    await store(
        uow,
        a_conversation("c1"),
        a_conversation("c2"),
        a_conversation("c3", user="u2"),
        a_message("m1", 0, cid="c1"),
        a_message("m2", 0, cid="c2"),
        a_message("m3", 0, cid="c3", user="u2"),
    )
    async with uow:
        await uow.conversations.delete("c1")
        await uow.commit()
    async with uow:
        assert await uow.conversations.get("c1") is None
        assert await uow.conversations.messages("c1") == []
        assert await uow.conversations.count() == 2
        await uow.conversations.delete_for_user("u1")
        await uow.commit()
    async with uow:
        assert await uow.conversations.messages("c2") == []
        assert [m.id for m in await uow.conversations.messages("c3")] == ["m3"]
        assert await uow.conversations.count() == 1


async def test_the_admin_statistics_count_conversations_and_messages(tmp_path: Path) -> None:
    database = open_database(tmp_path / "s.duckdb", 2)
    try:
        uow = DuckDBUnitOfWork(database)
        await store(uow, a_conversation("c1"), a_conversation("c2", user="u2"))
        await store(uow, a_message("m1", 0), a_message("m2", 1, role=Role.ASSISTANT))
        stats = await SqlStatsReader(database).stats(now=NOW, since=NOW, until=NOW)
    finally:
        database.close()
    assert (stats.conversations, stats.conversation_messages) == (2, 2)
