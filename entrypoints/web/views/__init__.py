"""Blueprints of the web UI, the navigation they share, and their registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from entrypoints.web import formatting
from entrypoints.web.session import current_user
from entrypoints.web.views import (
    account,
    admin,
    admin_audit,
    admin_users,
    auth,
    dashboard,
    errors,
    history,
    images,
    media,
    text,
    video,
    video_job,
)

DEMO_MODE = "ALLUCANGET_DEMO_MODE"
DEMO_MESSAGE = "Demo mode: answers come from a local simulator, not a real AI model."


@dataclass(frozen=True, slots=True)
class NavItem:
    endpoint: str
    label: str
    admin_only: bool = False


# Later areas (video, admin) add one row each.
NAV: tuple[NavItem, ...] = (
    NavItem("dashboard.index", "Dashboard"),
    NavItem("text.index", "Text"),
    NavItem("images.index", "Images"),
    NavItem("video.index", "Video"),
    NavItem("history.index", "History"),
    NavItem("account.password", "Account"),
    NavItem("admin.index", "Admin", admin_only=True),
)


def register(app: Flask) -> None:
    for blueprint in (auth.bp, account.bp, dashboard.bp, text.bp, images.bp, history.bp, media.bp):
        app.register_blueprint(blueprint)
    for blueprint in (admin.bp, admin_users.bp, admin_audit.bp):
        app.register_blueprint(blueprint)
    for blueprint in (video.bp, video_job.bp):
        app.register_blueprint(blueprint)
    errors.install(app)
    formatting.install(app)
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
