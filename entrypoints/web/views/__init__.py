"""Blueprints of the web UI, the navigation they share, and their registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, session

from entrypoints.web.session import signed_in
from entrypoints.web.views import account, auth, dashboard, errors


@dataclass(frozen=True, slots=True)
class NavItem:
    endpoint: str
    label: str
    admin_only: bool = False


# Later areas (text, images, video, history, admin) add one row each.
NAV: tuple[NavItem, ...] = (
    NavItem("dashboard.index", "Dashboard"),
    NavItem("account.password", "Account"),
)


def register(app: Flask) -> None:
    for blueprint in (auth.bp, account.bp, dashboard.bp):
        app.register_blueprint(blueprint)
    errors.install(app)
    app.context_processor(_template_context)


def _template_context() -> dict[str, Any]:
    if not signed_in():
        return {"current_user": None, "nav_items": ()}
    user = {"email": session.get("email", ""), "role": session.get("role", "user")}
    is_admin = user["role"] == "admin"
    return {"current_user": user, "nav_items": [i for i in NAV if is_admin or not i.admin_only]}
