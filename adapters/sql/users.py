"""SqlUserRepository (inside a unit of work) and SqlUserLookup (cached reads)."""

from __future__ import annotations

from typing import Any

from adapters.sql.executor import Executor, Row, SqlDatabase, UniqueViolationError, to_db, utc
from application.errors import EmailTakenError
from application.ports.auth import UserLookup, UserRepository
from domain.users import Role, User

COLUMNS = "id, email, role, password_hash, created_at"


def user_from(row: Row | None) -> User | None:
    if row is None:
        return None
    return User(
        id=row[0], email=row[1], role=Role(row[2]), password_hash=row[3], created_at=utc(row[4])
    )


class SqlUserRepository(UserRepository):
    def __init__(self, worker: Executor, dirty: set[str]) -> None:
        self._worker = worker
        self._dirty = dirty  # users to evict from the cache once the transaction commits

    async def get(self, user_id: str) -> User | None:
        return await self._one(f"SELECT {COLUMNS} FROM users WHERE id = ?", [user_id])

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(f"SELECT {COLUMNS} FROM users WHERE email = ?", [email])

    async def add(self, user: User) -> None:
        params = [user.id, user.email, user.role.value, user.password_hash, to_db(user.created_at)]
        try:
            await self._worker.execute(
                f"INSERT INTO users ({COLUMNS}) VALUES (?, ?, ?, ?, ?)", params
            )
        except UniqueViolationError as exc:
            raise EmailTakenError() from exc

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._dirty.add(user_id)
        await self._worker.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id]
        )

    async def set_role(self, user_id: str, role: Role) -> None:
        self._dirty.add(user_id)
        await self._worker.execute("UPDATE users SET role = ? WHERE id = ?", [role.value, user_id])

    async def delete(self, user_id: str) -> None:
        self._dirty.add(user_id)
        await self._worker.execute("DELETE FROM users WHERE id = ?", [user_id])

    async def count_admins(self) -> int:
        rows = await self._worker.execute("SELECT count(*) FROM users WHERE role = 'admin'")
        return int(rows[0][0])

    async def _one(self, sql: str, params: list[Any]) -> User | None:
        rows = await self._worker.execute(sql, params)
        return user_from(rows[0] if rows else None)


class SqlUserLookup(UserLookup):
    """The per-request user check, served from the write-through cache when it can be."""

    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def get(self, user_id: str) -> User | None:
        cached, generation = self._database.user_cache.get(user_id)
        if cached is not None:
            return cached
        rows = await self._database.read(f"SELECT {COLUMNS} FROM users WHERE id = ?", [user_id])
        user = user_from(rows[0] if rows else None)
        if user is not None:
            self._database.user_cache.put(user, generation)
        return user
