"""The Flask web UI: an HTTP client of the API, built by create_app(settings)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from entrypoints.settings import WebSettings
from entrypoints.web import blueprints, session
from entrypoints.web.api_client import ApiClient
from entrypoints.web.client_ip import TRUSTED_PROXIES
from entrypoints.web.inflight import InFlight
from entrypoints.web.keys.views import PUBLIC_API_URL
from entrypoints.web.security import install_headers, session_key
from entrypoints.web.session_store import RETAIN_S, SessionStore
from entrypoints.web.video.uploads import UPLOAD_MAX_BYTES

MAX_BODY_BYTES = 1024 * 1024  # forms; the image-to-video upload has its own (video/uploads.py)


def create_app(settings: WebSettings, api: ApiClient | None = None) -> Flask:
    """Build the web app; `api` lets tests hand in a client of their own."""
    app = Flask(__name__)
    app.config.update(_config(settings))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions[session.API_EXTENSION] = api or ApiClient(
        _api_url(settings), max_connections=settings.web_threads + 16
    )
    app.extensions[session.STORE_EXTENSION] = SessionStore(settings.session_db_path)
    app.extensions[InFlight.EXTENSION] = InFlight(settings.web_generations_per_user)
    CSRFProtect(app)  # security.md #40: every POST, logout included
    install_headers(app, hsts=settings.secure_cookies)
    session.install(app)
    blueprints.register(app)
    return app


def _config(settings: WebSettings) -> dict[str, Any]:
    secure = settings.secure_cookies
    return {
        "DEBUG": False,
        "SECRET_KEY": session_key(settings.resolved_secret()),
        # security.md #39: __Host- needs Secure, Path=/ and no Domain, so only over https.
        "SESSION_COOKIE_NAME": "__Host-allucanget" if secure else "allucanget_session",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        # The cookie holds only the session's id; the server-side row dies with the refresh
        # family (security.md #22). The cookie outlives it by RETAIN_S so that the sign-in
        # page can say the session expired; browsing does not extend it.
        "PERMANENT_SESSION_LIFETIME": timedelta(seconds=settings.refresh_family_ttl_s + RETAIN_S),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        UPLOAD_MAX_BYTES: settings.upload_max_bytes,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        # Answers come from the OpenRouter simulator (`allucanget demo`): every page says so.
        blueprints.DEMO_MODE: settings.demo_mode,
        TRUSTED_PROXIES: tuple(settings.trusted_proxies),
        PUBLIC_API_URL: settings.public_api_url or _api_url(settings).rstrip("/"),
    }


def _api_url(settings: WebSettings) -> str:
    return settings.api_url or f"http://{settings.host}:{settings.api_port}"
