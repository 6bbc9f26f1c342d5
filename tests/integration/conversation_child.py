"""A process that streams conversation answers into a DuckDB file until it is killed; it
prints each message once it is committed (`user <id>`, `answer <id> <chars>`)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from adapters.duckdb.database import open_database
from adapters.duckdb.unit_of_work import DuckDBUnitOfWork
from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.system import SystemClock, UuidGenerator
from application.conversations.create_conversation import CreateConversation
from application.conversations.exchange import Exchange, Exchanges
from application.conversations.stream_message import StreamMessage
from application.locks import KeyedLocks
from domain.users import Role, User


async def run(path: Path, base_url: str, key: str) -> None:
    database = open_database(path, 2)
    uow, clock, ids, locks = (
        DuckDBUnitOfWork(database),
        SystemClock(),
        UuidGenerator(),
        KeyedLocks(),
    )
    async with uow:
        await uow.users.add(User("u1", "ada@example.com", Role.USER, "fake$0", clock.now()))
        await uow.commit()
    chat = await CreateConversation(uow, clock, ids, locks).execute(user_id="u1")
    http = make_http_client(connect_s=2, read_s=5, write_s=2, pool_s=2)
    gateway = OpenRouterGateway(http, base_url, key)
    exchanges = Exchanges(uow, gateway, _NoWindows(), clock, ids, locks)
    stream = StreamMessage(exchanges)
    for turn in range(1000):
        content = f"Message {turn} [[sim:tokens=40]]"
        pending = await stream.prepare(user_id="u1", conversation_id=chat.id, content=content)
        print(f"user {pending.question.id}", flush=True)
        async for event in stream.execute(pending):
            if isinstance(event, Exchange):
                answer = event.assistant_message
                print(f"answer {answer.id} {len(answer.content)}", flush=True)


class _NoWindows:
    async def context_length(self, model: str) -> int | None:
        return None


if __name__ == "__main__":
    asyncio.run(run(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))
