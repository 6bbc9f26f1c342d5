"""The target of `allucanget migrate-data`: an empty PostgreSQL database. Its migrations are
applied first; then every table is copied with COPY in ONE transaction, the counts checked
inside it, and only then committed: a failure anywhere leaves the target without a row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from adapters.transfer.duckdb_source import DuckDBSource, Table, TransferError


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    source_rows: int
    target_rows: int


def where(url: str) -> str:
    """host:port/dbname of a URL, without its user or password (for messages)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "the given URL"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or '(default)'}"


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    if not url.startswith(("postgresql://", "postgres://")):
        raise TransferError("--to takes a PostgreSQL URL: postgresql://user:password@host/db")
    try:
        return psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise TransferError(f"cannot connect to PostgreSQL at {where(url)}: {reason}") from exc


def _columns(connection: psycopg.Connection[tuple[object, ...]]) -> dict[str, set[str]]:
    rows = connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), set()).add(str(column))
    return found


def _count(connection: psycopg.Connection[tuple[object, ...]], table: Table) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.name))
    row = connection.execute(query).fetchone()
    return int(str(row[0])) if row else -1


def rows_present(
    connection: psycopg.Connection[tuple[object, ...]], tables: list[Table]
) -> dict[str, int]:
    """Tables of ours that already hold rows in the target (a second run); a database with
    tables but without our migrations ledger is someone else's: all its tables are named."""
    existing = _columns(connection)
    if existing and "schema_migrations" not in existing:
        return {name: _count(connection, Table(name, ())) for name in sorted(existing)}
    present = {}
    for table in tables:
        if table.name in existing:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.name))
            row = connection.execute(query).fetchone()
            if row and int(str(row[0])):
                present[table.name] = int(str(row[0]))
    return present


def check_schema(connection: psycopg.Connection[tuple[object, ...]], tables: list[Table]) -> None:
    existing = _columns(connection)
    for table in tables:
        if table.name not in existing:
            raise TransferError(
                f"the PostgreSQL migrations have no table {table.name!r}, which the DuckDB "
                "database has: this version cannot move it (no row was written)"
            )
        missing = [c for c in table.columns if c not in existing[table.name]]
        if missing:
            raise TransferError(
                f"the PostgreSQL table {table.name!r} has no column(s) {', '.join(missing)} "
                "that DuckDB's has: this version cannot move it (no row was written)"
            )


def in_dependency_order(
    connection: psycopg.Connection[tuple[object, ...]], tables: list[Table]
) -> list[Table]:
    """Parents before children, should the PostgreSQL schema declare foreign keys."""
    edges = connection.execute(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid <> c.confrelid"
    ).fetchall()
    parents: dict[str, set[str]] = {t.name: set() for t in tables}
    for child, parent in edges:
        if str(child) in parents and str(parent) in parents:
            parents[str(child)].add(str(parent))
    ordered: list[Table] = []
    placed: set[str] = set()
    todo = sorted(tables, key=lambda t: t.name)
    while todo:
        ready = [t for t in todo if parents[t.name] <= placed] or todo[:1]  # a cycle: as is
        for table in ready:
            ordered.append(table)
            placed.add(table.name)
        todo = [t for t in todo if t.name not in placed]
    return ordered


def copy_all(
    connection: psycopg.Connection[tuple[object, ...]],
    source: DuckDBSource,
    tables: list[Table],
    on_table: Callable[[Copied], None] = lambda _: None,
) -> list[Copied]:
    """Every table in one transaction; counts verified before the COMMIT."""
    copied: list[Copied] = []
    try:
        with connection.transaction():
            _copy_tables(connection, source, tables, copied, on_table)
    except psycopg.Error as exc:  # a lost connection, a lock not granted, a failed COMMIT
        raise TransferError(
            f"PostgreSQL failed during the copy, nothing was committed: {_first_line(exc)}"
        ) from exc
    return copied


def _copy_tables(
    connection: psycopg.Connection[tuple[object, ...]],
    source: DuckDBSource,
    tables: list[Table],
    copied: list[Copied],
    on_table: Callable[[Copied], None],
) -> None:
    names = sql.SQL(", ").join(sql.Identifier(t.name) for t in tables)
    # no API may write while we copy (reads may go on); emptiness re-checked under the lock
    connection.execute("SET LOCAL lock_timeout = '10s'")
    connection.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(names))
    for table in tables:
        if _count(connection, table):
            raise TransferError(f"the target's {table.name!r} is not empty (no row written)")
    for table in tables:
        expected = source.count(table)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name),
            sql.SQL(", ").join(sql.Identifier(c) for c in table.columns),
        )
        try:
            with connection.cursor().copy(statement) as copy:
                for values in source.rows(table):
                    copy.write_row(values)
        except psycopg.Error as exc:
            raise TransferError(
                f"copying {table.name!r} failed, so no row was written (the transaction "
                f"was rolled back): {_first_line(exc)}"
            ) from exc
        written = _count(connection, table)
        done = Copied(table.name, expected, written)
        if written != expected:
            raise TransferError(
                f"{table.name!r}: {expected} rows in DuckDB but {written} in PostgreSQL; "
                "no row was written (the transaction was rolled back)"
            )
        copied.append(done)
        on_table(done)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
