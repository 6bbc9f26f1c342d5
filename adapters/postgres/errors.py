"""psycopg's errors in the application's terms, as adapters/duckdb/database.py does for
DuckDB: a broken unique constraint, a lost race, an unavailable store."""

from __future__ import annotations

import psycopg
import psycopg_pool
from psycopg import errors

from adapters.sql.executor import UniqueViolationError
from application.errors import ConflictError, StorageUnavailableError

# class 40 (transaction rollback): psycopg's classes for it are not subclasses of one another
CONFLICTS = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.TransactionRollback,
    errors.LockNotAvailable,
    errors.InFailedSqlTransaction,
)
UNAVAILABLE = "The database cannot be reached or written right now."


def translate(exc: Exception) -> Exception:
    """The exception to raise instead of `exc` (`exc` itself when it is a programming error,
    which must stay a loud 500)."""
    if isinstance(exc, errors.UniqueViolation):
        return UniqueViolationError(str(exc))
    # serialization failure, deadlock: a concurrent writer won, the use case may retry
    if isinstance(exc, CONFLICTS):
        return ConflictError()
    if isinstance(
        exc,
        psycopg.OperationalError  # connection lost, server shutting down, disk full, ...
        | psycopg.InterfaceError  # the connection is closed
        | errors.ReadOnlySqlTransaction  # a standby, or default_transaction_read_only
        | psycopg_pool.PoolTimeout,  # every connection busy for too long
    ):
        return StorageUnavailableError(UNAVAILABLE)
    return exc
