"""The admin dashboard: platform totals, and a period's generations and cost as charts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from entrypoints.web.admin import charts
from entrypoints.web.admin.access import admin_call, admin_page
from entrypoints.web.session import api

bp = Blueprint("admin", __name__, url_prefix="/admin")

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30


@bp.get("")
@admin_page
def index() -> ResponseReturnValue:
    days = _days(request.args.get("days"))
    first = datetime.now(UTC).date() - timedelta(days=days - 1)
    since, until = _midnight(first), _midnight(first + timedelta(days=days))
    stats = admin_call(lambda token: api().admin_stats(token, since, until))
    per_day = charts.fill_days(stats["per_day"], first, days)
    return render_template(
        "admin/index.html",
        stats=stats,
        days=days,
        periods=PERIODS,
        per_day=per_day,
        period_generations=sum(day.generations for day in per_day),
        generations_chart=charts.generations_per_day(per_day),
        cost_chart=charts.cost_per_day(per_day),
        model_chart=charts.per_model(stats["per_model"]),
    )


def _days(value: str | None) -> int:
    return int(value) if value in {str(days) for days in PERIODS} else DEFAULT_DAYS


def _midnight(day: date) -> str:
    """The start of `day` in UTC, as the API reads it: the period is whole UTC days."""
    return f"{day.isoformat()}T00:00:00Z"


@bp.app_template_filter("number")
def number(value: int | float) -> str:
    return f"{value:,}"


@bp.app_template_filter("breakable")
def breakable(email: str) -> Markup:
    """An email that may wrap after its `@` rather than anywhere in the middle."""
    return Markup(str(escape(email)).replace("@", "@<wbr>"))  # noqa: S704 - escaped first
