"""Settings: the one reader of the environment (and of an optional .env file)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.budgets import Budget
from domain.errors import InvalidBudgetError

PG_SCHEMES = ("postgresql://", "postgres://")
MIN_SECRET_BYTES = 32  # security.md #11: an HS256 key of at least 32 random bytes
SECRET_FILE = "secret_key"  # noqa: S105 (a file name)


class ConfigurationError(Exception):
    """Start-up refused: the configuration is unusable (message is for the operator)."""


class WebSettings(BaseSettings):
    """What the web UI process reads: where it listens, where the API is, its cookie."""

    model_config = SettingsConfigDict(
        env_prefix="ALLUCANGET_", env_file=".env", extra="ignore", populate_by_name=True
    )

    host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    web_port: int = Field(5000, ge=1, le=65535)
    data_dir: Path = Path("./data")
    api_url: str | None = None
    # Where API clients reach the API (the OpenAI SDK snippet of the API keys page); default:
    # api_url, which is right when browsers and the web UI see the API at the same address.
    public_api_url: str | None = None
    secret_key: SecretStr | None = None
    refresh_family_ttl_s: int = Field(14 * 24 * 3600, ge=60, le=30 * 24 * 3600)
    secure_cookies: bool = False  # set true when the web UI is served over https
    demo_mode: bool = False  # `allucanget demo`: the UI says answers are simulated
    production: bool = False  # refuse generated keys, weak bootstrap passwords, plain cookies
    log_level: str = "INFO"
    # security.md #36-37: image uploads for image-to-video; OpenRouter caps the whole body
    # at 50 MiB (base64 adds a third); Pillow raises only past 2 x 89.5 MP on its own.
    upload_max_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=32 * 1024 * 1024)
    # security.md #7: X-Forwarded-For is believed only from these peers (exact addresses);
    # the API and the web UI apply the same rule (entrypoints/forwarded.py).
    trusted_proxies: Annotated[list[str], NoDecode] = ["127.0.0.1", "::1"]
    # The web UI: waitress threads (a generation holds one while it waits on the model),
    # generations in flight per user (one user cannot take every thread), and the file of
    # its server-side sessions (default: web_sessions.sqlite3 in the data directory).
    web_threads: int = Field(128, ge=4, le=1024)
    web_generations_per_user: int = Field(8, ge=1, le=256)
    web_session_db: Path | None = None

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("secret_key")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"ALLUCANGET_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
        return value

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Self:
        """security.md #11: in production the key is configured, not generated, and the
        session cookie only travels over https."""
        if not self.production:
            return self
        if self.secret_key is None:
            raise ValueError("ALLUCANGET_SECRET_KEY must be set (32+ random bytes) in production")
        if not self.secure_cookies:
            raise ValueError(
                "ALLUCANGET_SECURE_COOKIES must be true in production (serve over https)"
            )
        return self

    @model_validator(mode="after")
    def _default_api_url(self) -> Self:
        if self.api_url is None:
            self.api_url = f"http://{self.host}:{self.api_port}"
        if self.public_api_url is None:
            self.public_api_url = self.api_url
        self.public_api_url = self.public_api_url.rstrip("/")
        return self

    @property
    def session_db_path(self) -> Path:
        return self.web_session_db or self.data_dir / "web_sessions.sqlite3"

    def resolved_secret(self) -> str:
        """The configured key, or the one generated into the data directory (mode 0600)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return _load_or_create_secret(self.data_dir / SECRET_FILE)


class Settings(WebSettings):
    """What the API process (and the CLI) reads: all of the above, and the rest."""

    admin_email: str | None = None
    admin_password: SecretStr | None = None

    allow_registration: bool = True
    access_token_ttl_s: int = Field(900, ge=1, le=900)  # api-contract: 15 minutes
    refresh_grace_s: float = Field(10.0, ge=0, le=60)  # api-contract: 0 = strict reuse

    # security.md #1: never below the OWASP floor m=19456 KiB, t=2, p=1
    argon2_memory_kib: int = Field(65536, ge=19456)
    argon2_time_cost: int = Field(3, ge=2)
    argon2_parallelism: int = Field(4, ge=1)
    hash_threads: int = Field(2, ge=1, le=64)

    # security.md #7: throttle per account and per client address
    login_max_failures_per_account: int = Field(5, ge=1)
    login_max_failures_per_address: int = Field(20, ge=1)
    login_window_s: int = Field(900, ge=1)

    db_threads: int = Field(8, ge=1, le=64)
    # PostgreSQL instead of the DuckDB file: postgresql://user:password@host:port/database
    # (a secret: it may hold the password). Each API process keeps a pool of at most
    # db_pool_size connections.
    database_url: SecretStr | None = None
    db_pool_size: int = Field(10, ge=1, le=500)
    # `allucanget api --workers N`: API processes on one port (N > 1 needs PostgreSQL)
    api_workers: int = Field(1, ge=1, le=64)

    openrouter_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("OPENROUTER_API_KEY", "openrouter_api_key")
    )
    openrouter_base_url: str = Field(
        "https://openrouter.ai/api/v1",
        validation_alias=AliasChoices("OPENROUTER_BASE_URL", "openrouter_base_url"),
    )

    # Video jobs (api-contract.md, openrouter.md §4 and §8.10): the follower's pass interval,
    # which is also a job's first poll delay; polls back off to the ceiling (the docs poll
    # about every 30 s); a job still unfinished at the deadline is failed.
    video_poll_interval_s: float = Field(5.0, ge=0.05, le=300)
    video_poll_max_interval_s: float = Field(30.0, ge=0.05, le=600)
    video_job_deadline_s: int = Field(1800, ge=60, le=24 * 3600)
    # A process polls a job under a lease, renewed while it works; another process takes the
    # job over once the lease lapses. Unset: twice the longest poll interval, at least 60 s.
    video_lease_s: float | None = Field(None, ge=0.1, le=3600)
    upload_max_pixels: int = Field(40_000_000, ge=1, le=89_478_485)
    # Uploads are decoded by this many threads, and at most this many decoded pixels (4 bytes
    # each) are held at once across all uploads; unset: what fits the machine (see container).
    upload_decode_threads: int = Field(2, ge=1, le=32)
    upload_decode_budget_pixels: int | None = Field(None, ge=1)

    # Every OpenRouter call has a total deadline, however slowly the bytes arrive; streamed
    # answers and video downloads have a longer one (504 upstream_timeout past either).
    upstream_deadline_s: float = Field(300.0, ge=1, le=3600)
    upstream_stream_deadline_s: float = Field(900.0, ge=1, le=6 * 3600)

    # Budgets and generation limits (application/budget): the default budget of users
    # without an override (empty = unlimited) and its period; per user, generations started
    # per minute, generations in flight, and video jobs in progress (429 past any).
    default_budget_usd: str = ""
    default_budget_period: str = "month"
    generations_per_minute: int = Field(30, ge=1, le=100_000)
    max_concurrent_generations: int = Field(4, ge=1, le=10_000)
    max_active_video_jobs: int = Field(3, ge=1, le=1000)

    @field_validator("default_budget_usd", "default_budget_period")
    @classmethod
    def _a_budget(cls, value: str, info: ValidationInfo) -> str:
        try:
            if info.field_name == "default_budget_period":
                Budget.of(None, value)
            elif value.strip():
                Budget.of(value.strip(), "none")
        except InvalidBudgetError as exc:
            raise ValueError(exc.detail) from exc
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _a_postgresql_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value().strip()
        if not url.startswith(PG_SCHEMES):
            shown = url.split("://", 1)[0] + "://..." if "://" in url else "(no scheme)"
            raise ValueError(
                f"ALLUCANGET_DATABASE_URL must be a postgresql:// URL, not {shown} "
                "(unset, the embedded DuckDB file is used)"
            )
        return SecretStr(url)

    @model_validator(mode="after")
    def _video_polls_back_off_upwards(self) -> Settings:
        if self.video_poll_max_interval_s < self.video_poll_interval_s:
            raise ValueError("ALLUCANGET_VIDEO_POLL_MAX_INTERVAL_S must be at least the interval")
        return self

    @model_validator(mode="after")
    def _production_bootstrap_password(self) -> Settings:
        """security.md #8: in production the first admin's password is not a short one."""
        password = self.admin_password.get_secret_value() if self.admin_password else None
        if self.production and password is not None and len(password) < 15:
            raise ValueError(
                "ALLUCANGET_ADMIN_PASSWORD must be at least 15 characters in production"
            )
        return self

    @property
    def database_path(self) -> Path:
        return self.data_dir / "allucanget.duckdb"

    @property
    def engine(self) -> Literal["duckdb", "postgresql"]:
        return "postgresql" if self.database_url is not None else "duckdb"

    @property
    def database_label(self) -> str:
        """Where the data is, for logs and messages: never the password."""
        if self.database_url is None:
            return str(self.database_path)
        return redact_url(self.database_url.get_secret_value())

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def openrouter_configured(self) -> bool:
        return bool(self.openrouter_api_key.get_secret_value())


def redact_url(url: str) -> str:
    """postgresql://user:secret@host/db -> postgresql://user:***@host/db (and ?password=)."""
    url = re.sub(r"^([a-z]+://[^:/@?]*:)[^/?#]*@", r"\1***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


def _load_or_create_secret(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(f"{path} holds a key shorter than 32 bytes") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def load_web_settings(**overrides: object) -> WebSettings:
    """The web UI's settings: it reads nothing of the API's (no OpenRouter key, no admin)."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return WebSettings(**clean)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; explicit overrides (CLI flags) win."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except ValidationError as exc:
        if any(error["loc"][:1] == ("database_url",) for error in exc.errors()):
            # the URL may hold a password: say what is wrong, never what was given
            lines = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            raise ConfigurationError("\n".join(lines)) from None
        raise ConfigurationError(str(exc)) from exc
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
