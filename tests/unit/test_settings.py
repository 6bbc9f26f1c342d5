"""Settings: documented, validated, and strict in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.settings import (
    ConfigurationError,
    Settings,
    WebSettings,
    load_settings,
    load_web_settings,
)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
KEY = "k" * 40


def env_name(field: str) -> str:
    return field.upper() if field.startswith("openrouter") else f"ALLUCANGET_{field.upper()}"


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"`{env_name(field)}`" in README


def test_a_short_key_stops_start_up_with_a_clear_message() -> None:
    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        load_settings(secret_key="short")


def test_the_environment_fills_settings_and_flags_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLUCANGET_API_PORT", "9001")
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-x")
    assert load_settings().api_port == 9001
    assert load_settings(api_port=9002).api_port == 9002
    assert load_settings().openrouter_configured


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "ALLUCANGET_SECRET_KEY must be set"),
        ({"secret_key": KEY, "secure_cookies": True, "admin_password": "short"}, "15 characters"),
        ({"secret_key": KEY}, "SECURE_COOKIES must be true"),
    ],
)
def test_production_refuses_generated_or_weak_secrets(
    overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings(production=True, **overrides)


def test_production_with_real_secrets_starts() -> None:
    settings = load_settings(
        production=True,
        secret_key=KEY,
        secure_cookies=True,
        admin_password="a long enough passphrase",
    )
    assert settings.resolved_secret() == KEY


def test_a_generated_key_is_private_and_stable(tmp_path: Path) -> None:
    first = load_settings(data_dir=tmp_path).resolved_secret()
    assert load_settings(data_dir=tmp_path).resolved_secret() == first
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_web_ui_reads_only_its_own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-not-for-the-web")
    monkeypatch.setenv("ALLUCANGET_ADMIN_PASSWORD", "not for the web either")
    web = load_web_settings(web_port=5055)
    assert web.web_port == 5055
    assert not hasattr(web, "openrouter_api_key") and not hasattr(web, "admin_password")
    assert set(WebSettings.model_fields) < set(Settings.model_fields)


def test_the_web_ui_in_production_refuses_a_generated_key() -> None:
    with pytest.raises(ConfigurationError, match="ALLUCANGET_SECRET_KEY must be set"):
        load_web_settings(production=True)


def test_the_public_api_url_defaults_to_the_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLUCANGET_API_URL", "http://api.internal:8000")
    assert WebSettings(_env_file=None).public_api_url == "http://api.internal:8000"
    monkeypatch.setenv("ALLUCANGET_PUBLIC_API_URL", "https://api.example.com/")
    assert WebSettings(_env_file=None).public_api_url == "https://api.example.com"
