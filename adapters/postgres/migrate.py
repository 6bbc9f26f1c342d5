"""Versioned schema migrations for PostgreSQL: migrations/NNNN_name.sql applied in order,
once each, with their own `schema_migrations` ledger (the same idea as DuckDB's).

Numbers 0009-0010 are reserved for the login throttle and generation slots, 0011-0012 for
video job leases and generation counts; a number is never reused or renumbered. Several API
processes may start at once: an advisory lock lets one of them migrate while the others
wait, then find nothing left to do."""

from __future__ import annotations

from importlib import resources

import psycopg

LEDGER = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamp NOT NULL
)"""
LOCK_KEY = 0x616C6C75  # "allu": this application's advisory lock for migrating


def available() -> list[tuple[int, str, str]]:
    folder = resources.files(__package__).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text("utf-8")))
    return sorted(found)


def migrate(connection: psycopg.Connection[tuple[object, ...]]) -> list[int]:
    """Apply what is missing, each migration in its own transaction; return what ran. The
    connection must be in autocommit mode (transactions are explicit here)."""
    connection.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        ledger = connection.execute("SELECT to_regclass('schema_migrations')").fetchone()
        if ledger is None or ledger[0] is None:  # a migrated read-only database opens too
            connection.execute(LEDGER)
        done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in available():
            if version in done:
                continue
            with connection.transaction():
                connection.execute(sql.encode())  # several statements: no parameters
                connection.execute(
                    "INSERT INTO schema_migrations VALUES "
                    "(%s, %s, (now() AT TIME ZONE 'UTC')::timestamp)",
                    [version, name],
                )
            applied.append(version)
        return applied
    finally:
        connection.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
