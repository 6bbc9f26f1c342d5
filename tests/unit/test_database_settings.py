"""ALLUCANGET_DATABASE_URL: PostgreSQL when set, the DuckDB file when not; a wrong scheme
stops start-up clearly, and the password is never in a message or a label."""

from __future__ import annotations

import pytest

from entrypoints.settings import ConfigurationError, load_settings, redact_url

KEY = "k" * 40


def test_unset_is_the_duckdb_file() -> None:
    settings = load_settings(secret_key=KEY)
    assert settings.engine == "duckdb" and settings.database_url is None
    assert settings.database_label.endswith("allucanget.duckdb")


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_postgresql_url_selects_postgresql_and_hides_its_password(scheme: str) -> None:
    settings = load_settings(secret_key=KEY, database_url=f"{scheme}://app:s3cr3t@db:5432/app")
    assert settings.engine == "postgresql"
    assert settings.database_label == f"{scheme}://app:***@db:5432/app"
    assert "s3cr3t" not in repr(settings)


def test_an_empty_url_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLUCANGET_DATABASE_URL", "")
    assert load_settings(secret_key=KEY).engine == "duckdb"


@pytest.mark.parametrize("url", ["mysql://app:s3cr3t@db/app", "app:s3cr3t@db/app", "sqlite:///x"])
def test_another_scheme_stops_start_up_without_showing_the_url(url: str) -> None:
    with pytest.raises(ConfigurationError, match="must be a postgresql:// URL") as refused:
        load_settings(secret_key=KEY, database_url=url)
    assert "s3cr3t" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        (
            "postgresql://h/db?sslmode=require&password=x",
            "postgresql://h/db?sslmode=require&password=***",
        ),
    ],
)
def test_labels_never_carry_a_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown
