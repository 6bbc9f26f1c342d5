"""The source of `allucanget migrate-data`: the DuckDB file of a data directory, opened the
way the API opens it (read-write, so DuckDB's file lock tells us whether the API still runs),
brought up to this version's schema, then only read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from adapters.duckdb.migrate import migrate

LEDGER = "schema_migrations"  # each engine keeps its own; never copied
BATCH_ROWS = 5000


class TransferError(Exception):
    """The move cannot go on; the message is for the operator (no traceback)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class DuckDBSource:
    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._connection, self.path = connection, path
        self.nul_values = 0  # text values that held NUL, which PostgreSQL text cannot

    def tables(self) -> list[Table]:
        """Every table of ours in the file (the schema says which), with its columns in order."""
        rows = self._connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name <> ? "
            "ORDER BY table_name, ordinal_position",
            [LEDGER],
        ).fetchall()
        columns: dict[str, list[str]] = {}
        for table, column in rows:
            columns.setdefault(str(table), []).append(str(column))
        return [Table(name, tuple(names)) for name, names in columns.items()]

    def count(self, table: Table) -> int:
        query = f"SELECT count(*) FROM {quoted(table.name)}"  # noqa: S608 (names from the schema)
        row = self._connection.execute(query).fetchone()
        return int(row[0]) if row else 0

    def rows(self, table: Table) -> Iterator[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        try:
            names = ", ".join(quoted(column) for column in table.columns)
            cursor.execute(f"SELECT {names} FROM {quoted(table.name)}")  # noqa: S608 (as above)
            while batch := cursor.fetchmany(BATCH_ROWS):
                for row in batch:
                    yield self._without_nul(row)
        finally:
            cursor.close()

    def _without_nul(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """NUL as U+FFFD, as the PostgreSQL engine stores what a client sends with one."""
        if not any(isinstance(value, str) and "\x00" in value for value in row):
            return row
        self.nul_values += sum(isinstance(v, str) and "\x00" in v for v in row)
        return tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in row)

    def close(self) -> None:
        self._connection.close()


def open_source(path: Path) -> DuckDBSource:
    """The deployment's DuckDB file; fails clearly while an API process holds it."""
    if not path.is_file():
        raise TransferError(f"no DuckDB database at {path} (is --data-dir right?)")
    try:
        connection = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise TransferError(
                f"{path} is open in a running allucanget API process (DuckDB's file lock "
                "says so): stop the API first, then run migrate-data again"
            ) from exc
        raise TransferError(f"cannot open {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise TransferError(f"cannot open {path}: {exc}") from exc
    try:
        migrate(connection)  # an older deployment: the schema this version's PostgreSQL mirrors
    except duckdb.Error as exc:
        connection.close()
        raise TransferError(f"cannot bring {path} up to this version's schema: {exc}") from exc
    return DuckDBSource(connection, path)
