"""Admin read side in SQL: the user directory, platform statistics, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.sql.executor import Row, SqlDatabase, marks, to_db, utc
from adapters.sql.users import COLUMNS as USER_COLUMNS
from adapters.sql.users import user_from
from application.ports.admin import AuditReader, Breakdown, Page, Stats, StatsReader, UserDirectory
from domain.audit import AuditAction, AuditEvent
from domain.users import User

TOP = 20
# Only narrow columns are read: no prompt or answer text is ever scanned for statistics.
TOTALS = """SELECT count(*), count(*) FILTER (WHERE kind = 'text'),
    count(*) FILTER (WHERE kind = 'image'), count(*) FILTER (WHERE kind = 'video'),
    count(*) FILTER (WHERE status = 'failed'),
    coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(cost), 0)
    FROM generations"""
# Three buckets that add up to every row: a token retired by rotation (`replaced_by` set)
# can no longer be used, so it counts as revoked, like one revoked by logout or reuse.
TOKENS = """SELECT
    count(*) FILTER (WHERE revoked_at IS NULL AND replaced_by IS NULL AND expires_at > ?),
    count(*) FILTER (WHERE revoked_at IS NOT NULL OR replaced_by IS NOT NULL),
    count(*) FILTER (WHERE revoked_at IS NULL AND replaced_by IS NULL AND expires_at <= ?)
    FROM refresh_tokens"""
CONVERSATIONS = """SELECT (SELECT count(*) FROM conversations),
    (SELECT count(*) FROM conversation_messages)"""
BREAKDOWN = """SELECT {key}, count(*), count(*) FILTER (WHERE status = 'failed'),
    coalesce(sum(total_tokens), 0), coalesce(sum(cost), 0)
    FROM generations WHERE created_at >= ? AND created_at < ? GROUP BY {key} ORDER BY {order}"""
# Identifiers come from this allowlist only (security.md #32).
GROUPINGS = {
    "day": ("CAST(CAST(created_at AS DATE) AS VARCHAR)", "1", None),  # YYYY-MM-DD on both
    "model": ("model", "2 DESC, 1", TOP),
    "user": ("user_id", "2 DESC, 1", TOP),
}


class SqlUserDirectory(UserDirectory):
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def page(self, *, query: str | None, limit: int, offset: int) -> Page[User]:
        where, params = "", []
        if query:
            where = "WHERE strpos(email, ?) > 0"  # a plain substring: no LIKE wildcards to escape
            params.append(query)
        total = await self._database.read(f"SELECT count(*) FROM users {where}", params)
        rows = await self._database.read(
            f"SELECT {USER_COLUMNS} FROM users {where} ORDER BY created_at, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return Page([user for row in rows if (user := user_from(row))], int(total[0][0]))


class SqlStatsReader(StatsReader):
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def stats(self, *, now: datetime, since: datetime, until: datetime) -> Stats:
        read = self._database.read
        users = (await read("SELECT count(*), count(*) FILTER (WHERE role = 'admin') FROM users"))[
            0
        ]
        tokens = (await read(TOKENS, [to_db(now), to_db(now)]))[0]
        totals = (await read(TOTALS))[0]
        chats = (await read(CONVERSATIONS))[0]
        period = [to_db(since), to_db(until)]
        per_user = await self._breakdown("user", period)
        return Stats(
            users_total=int(users[0]),
            admins=int(users[1]),
            tokens_active=int(tokens[0]),
            tokens_revoked=int(tokens[1]),
            tokens_expired=int(tokens[2]),
            generations=dict(
                zip(
                    ("total", "text", "image", "video", "failed"),
                    (int(v) for v in totals[:5]),
                    strict=True,
                )
            ),
            prompt_tokens=int(totals[5]),
            completion_tokens=int(totals[6]),
            cost=float(totals[7]),
            since=since,
            until=until,
            per_day=await self._breakdown("day", period),
            per_model=await self._breakdown("model", period),
            per_user=await self._with_emails(per_user),
            conversations=int(chats[0]),
            conversation_messages=int(chats[1]),
        )

    async def _breakdown(self, grouping: str, period: list[Any]) -> list[Breakdown]:
        key, order, limit = GROUPINGS[grouping]
        sql = BREAKDOWN.format(key=key, order=order) + (f" LIMIT {limit}" if limit else "")
        rows = await self._database.read(sql, period)
        return [_breakdown(row) for row in rows]

    async def _with_emails(self, rows: list[Breakdown]) -> list[Breakdown]:
        if not rows:
            return rows
        keys = [r.key for r in rows]
        found = await self._database.read(
            f"SELECT id, email FROM users WHERE id IN ({marks(len(keys))})", keys
        )
        emails: dict[str, str] = {row[0]: row[1] for row in found}
        return [
            Breakdown(
                r.key,
                emails.get(r.key, "(deleted)"),
                r.generations,
                r.failed,
                r.total_tokens,
                r.cost,
            )
            for r in rows
        ]


class SqlAuditReader(AuditReader):
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def page(self, *, limit: int, offset: int) -> Page[AuditEvent]:
        total = await self._database.read("SELECT count(*) FROM audit_events")
        rows = await self._database.read(
            "SELECT id, occurred_at, action, actor_id, target_id, outcome, detail "
            "FROM audit_events ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return Page([_event(row) for row in rows], int(total[0][0]))


def _breakdown(row: Row) -> Breakdown:
    key = str(row[0])
    return Breakdown(key, key, int(row[1]), int(row[2]), int(row[3]), float(row[4]))


def _event(row: Row) -> AuditEvent:
    return AuditEvent(row[0], utc(row[1]), AuditAction(row[2]), row[3], row[4], row[5], row[6])
