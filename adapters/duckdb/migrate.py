"""Versioned schema migrations: migrations/NNNN_name.sql applied in order, once each."""

from __future__ import annotations

from importlib import resources

import duckdb

LEDGER = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL
)"""


def available() -> list[tuple[int, str, str]]:
    folder = resources.files(__package__).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text("utf-8")))
    return sorted(found)


def migrate(connection: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply what is missing, each migration in its own transaction; return what ran."""
    connection.execute(LEDGER)
    done = {
        row[0] for row in connection.execute("SELECT version FROM schema_migrations").fetchall()
    }
    applied = []
    for version, name, sql in available():
        if version in done:
            continue
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(sql)
            connection.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name]
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
