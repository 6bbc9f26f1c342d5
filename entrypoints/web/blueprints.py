"""Blueprints of the web UI, the navigation they share, and their registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from entrypoints.web import budget, errors, formatting
from entrypoints.web.admin import audit as admin_audit
from entrypoints.web.admin import budgets as admin_budgets
from entrypoints.web.admin import users as admin_users
from entrypoints.web.admin import views as admin
from entrypoints.web.auth import account, dashboard
from entrypoints.web.auth import views as auth
from entrypoints.web.chat import send as chat_send
from entrypoints.web.chat import views as chat
from entrypoints.web.generation import estimate, history, images, media, text
from entrypoints.web.keys import admin as admin_keys
from entrypoints.web.keys import views as api_keys
from entrypoints.web.session import current_user
from entrypoints.web.video import job as video_job
from entrypoints.web.video import views as video

DEMO_MODE = "ALLUCANGET_DEMO_MODE"
DEMO_MESSAGE = "Demo mode: answers come from a local simulator, not a real AI model."


@dataclass(frozen=True, slots=True)
class NavItem:
    endpoint: str
    label: str
    admin_only: bool = False
    also: tuple[str, ...] = ()  # more endpoints of the same entry (the Account pages)

    def current(self, endpoint: str | None) -> bool:
        return endpoint == self.endpoint or endpoint in self.also


NAV: tuple[NavItem, ...] = (
    NavItem("dashboard.index", "Dashboard"),
    NavItem("chat.index", "Chat"),
    NavItem("text.index", "Text"),
    NavItem("images.index", "Images"),
    NavItem("video.index", "Video"),
    NavItem("history.index", "History"),
    NavItem(
        "account.password",
        "Account",
        also=("api_keys.index", "api_keys.create", "api_keys.confirm_revoke"),
    ),
    NavItem("admin.index", "Admin", admin_only=True),
)


BLUEPRINTS = (
    (auth.bp, account.bp, dashboard.bp, api_keys.bp),
    (text.bp, images.bp, history.bp, media.bp, estimate.bp),
    (admin.bp, admin_users.bp, admin_audit.bp, admin_budgets.bp, admin_keys.bp),
    (video.bp, video_job.bp),
    (chat.bp, chat_send.bp),
)


def register(app: Flask) -> None:
    for area in BLUEPRINTS:
        for blueprint in area:
            app.register_blueprint(blueprint)
    errors.install(app)
    formatting.install(app)
    budget.install(app)
    app.add_template_filter(media.proxied, "media_src")
    app.context_processor(_template_context)


def _template_context() -> dict[str, Any]:
    demo = DEMO_MESSAGE if current_app.config.get(DEMO_MODE) else ""
    user = current_user()
    if user is None:
        return {"current_user": None, "nav_items": (), "demo_message": demo}
    is_admin = user["role"] == "admin"
    nav = [i for i in NAV if is_admin or not i.admin_only]
    return {"current_user": user, "nav_items": nav, "demo_message": demo}
