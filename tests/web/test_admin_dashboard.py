"""The admin dashboard: only for admins (the API decides), stat cards, and the SVG charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from entrypoints.web.admin import charts
from tests.web.conftest import FakeApi, sign_in
from tests.web.fake_admin import breakdown

ADMIN_LINK = '<a href="/admin">Admin</a>'
BASE_Y = charts.BASE


def svg(page: str, test_id: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*data-testid="{test_id}".*?</svg>', page, re.S)
    assert match, f"no chart {test_id}"
    return ET.fromstring(match.group(0))  # noqa: S314 - our own page


def bars(chart: ET.Element) -> dict[str, tuple[float, float]]:
    """Each column's day -> (height of its bar, height of its failed mark)."""
    found = {}
    for column in chart.iter("g"):
        rects = {rect.get("class", ""): rect for rect in column.iter("rect")}
        bar = rects.get("bar bar-generations", rects.get("bar bar-cost"))
        mark = rects.get("bar-mark")
        assert bar is not None
        assert float(bar.get("y", 0)) + float(bar.get("height", 0)) == pytest.approx(BASE_Y)
        marked = float(mark.get("height", 0)) if mark is not None else 0.0
        found[column.get("data-day", "")] = (float(bar.get("height", 0)), marked)
    return found


def stats_query(fake_api: FakeApi) -> str:
    return next(c for c in fake_api.calls if c.startswith("GET /admin/stats"))


def test_the_dashboard_shows_the_totals(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    page = as_admin.get("/admin")

    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert ADMIN_LINK in text or '<a href="/admin" aria-current="page">Admin</a>' in text
    assert '<strong class="stat-value">3</strong> <span class="stat-note">1 admin</span>' in text
    assert '4 active</strong> <span class="stat-note">2 revoked · 1 expired</span>' in text
    assert '<strong class="stat-value">57</strong>' in text
    assert "40 text · 12 image · 5 video" in text
    assert "3 failed" in text
    assert '<strong class="stat-value">46,000</strong>' in text
    assert "12,000 prompt · 34,000 completion" in text
    assert '<strong class="stat-value">$1.25</strong>' in text


@pytest.mark.parametrize(("days", "expected"), [("7", 7), ("90", 90), (None, 30), ("12", 30)])
def test_the_period_is_whole_utc_days_ending_today(
    as_admin: FlaskClient, fake_api: FakeApi, days: str | None, expected: int
) -> None:
    page = as_admin.get("/admin", query_string={"days": days} if days else {}).text

    today = datetime.now(UTC).date()
    first = today - timedelta(days=expected - 1)
    since, until = f"{first}T00%3A00%3A00Z", f"{today + timedelta(days=1)}T00%3A00%3A00Z"
    assert stats_query(fake_api) == f"GET /admin/stats?since={since}&until={until}"
    assert f'<a href="/admin?days={expected}" aria-current="page">{expected} days</a>' in page
    assert len(bars(svg(page, "chart-generations"))) == expected


def test_one_bar_per_day_with_heights_proportional_to_the_counts(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.admin.days = {0: (10, 2, 0.5), 3: (5, 0, 0.25), 6: (20, 5, 1.0)}

    page = as_admin.get("/admin?days=7").text

    generations = list(bars(svg(page, "chart-generations")).values())
    assert len(generations) == 7
    scale = generations[6][0] / 20
    assert scale > 0
    assert [height for height, _ in generations] == pytest.approx(
        [10 * scale, 0, 0, 5 * scale, 0, 0, 20 * scale]
    )
    assert [mark for _, mark in generations] == pytest.approx([2 * scale, 0, 0, 0, 0, 0, 5 * scale])
    costs = [height for height, _ in bars(svg(page, "chart-cost")).values()]
    assert costs == pytest.approx([costs[6] / 2, 0, 0, costs[6] / 4, 0, 0, costs[6]])
    assert "35 generations" in page


def test_the_days_of_the_chart_are_the_days_of_the_period(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.admin.days = {1: (4, 1, 0.01)}

    page = as_admin.get("/admin?days=7").text

    days = list(bars(svg(page, "chart-generations")))
    first = datetime.now(UTC).date() - timedelta(days=6)
    assert days == [(first + timedelta(days=n)).isoformat() for n in range(7)]
    assert f"<title>{days[1]}: 4 generations, 1 failed</title>" in page
    assert f"<title>{days[2]}: 0 generations</title>" in page


def test_per_model_bars_and_the_per_user_table(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.admin.per_model = [
        breakdown("openai/gpt-4o-mini", 30, 1, 0.75),
        breakdown("google/gemini-2.5-flash-image", 15, 0, 1.5),
    ]
    fake_api.admin.per_user = [breakdown("u7", 30, 1, 0.75, label="ada@example.com")]

    page = as_admin.get("/admin").text

    rows = {g.get("data-label"): g for g in svg(page, "chart-models").iter("g")}
    lengths = {label: float(next(g.iter("rect")).get("width", 0)) for label, g in rows.items()}
    assert lengths["google/gemini-2.5-flash-image"] == pytest.approx(
        lengths["openai/gpt-4o-mini"] / 2
    )
    assert "30 · $0.75" in page
    table = page[page.index('data-testid="per-user-table"') :]
    assert re.search(r"ada@<wbr>example.com</td><td class=\"num\">30</td>", table)


def test_an_empty_period_says_so(as_admin: FlaskClient) -> None:
    page = as_admin.get("/admin").text

    assert page.count("No generations in this period.") == 2
    heights = [height for height, _ in bars(svg(page, "chart-generations")).values()]
    assert heights == [0] * 30


def test_a_user_gets_a_friendly_403_and_no_admin_link(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    assert ADMIN_LINK not in signed_in.get("/").text

    page = signed_in.get("/admin")

    assert page.status_code == 403
    assert "Admins only" in page.text
    assert "your account does not have the admin role" in page.text
    assert ADMIN_LINK not in page.text
    assert "GET /admin/stats" in stats_query(fake_api)  # the API was asked, and said no


def test_a_promotion_shows_on_the_next_page_load(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    assert ADMIN_LINK not in signed_in.get("/").text
    fake_api.users["ada@example.com"]["user"]["role"] = "admin"

    assert ADMIN_LINK in signed_in.get("/").text
    assert signed_in.get("/admin").status_code == 200


def test_a_demoted_admin_loses_the_link_at_once(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    assert ADMIN_LINK in as_admin.get("/").text
    fake_api.users["root@example.com"]["user"]["role"] = "user"

    assert as_admin.get("/admin/users").status_code == 403
    assert ADMIN_LINK not in as_admin.get("/history").text


def test_admin_pages_need_a_session(client: FlaskClient) -> None:
    for path in ("/admin", "/admin/users", "/admin/audit", "/admin/users/u1/delete"):
        assert client.get(path).location == f"/login?next={path}"


def test_signing_in_as_admin_shows_the_link(client: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("boss@example.com", role="admin")
    sign_in(client, fake_api, "boss@example.com")

    assert ADMIN_LINK in client.get("/history").text
