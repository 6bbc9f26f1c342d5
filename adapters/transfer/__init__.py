"""Moving a deployment between engines: a DuckDB file copied into an empty PostgreSQL."""
