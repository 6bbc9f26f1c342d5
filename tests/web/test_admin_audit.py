"""The audit trail: events in words, people by email where they still exist, and paging."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from entrypoints.web.admin.charts import count_top, nice_top
from tests.web.conftest import FakeApi

DASH = "\N{EN DASH}"  # as in "Showing 1-20 of 25"


def event(
    n: int,
    action: str,
    actor: str | None,
    target: str | None,
    outcome: str = "ok",
    detail: str | None = None,
) -> dict[str, Any]:
    return {
        "id": f"e{n}",
        "at": f"2025-02-03T04:{n % 60:02d}:00Z",
        "action": action,
        "actor_id": actor,
        "target_id": target,
        "outcome": outcome,
        "detail": detail,
    }


def cells(page: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-testid="audit-row".*?</tr>', page, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_events_are_told_in_words(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")
    root, ada = fake_api.user_id("root@example.com"), fake_api.user_id("ada@example.com")
    fake_api.admin.events = [
        event(1, "authz_change", root, ada, detail="user -> admin"),
        event(2, "user_deleted", root, "gone-id-123456789", detail="bob@example.com"),
        event(3, "admin_bootstrap", None, root, outcome="created"),
        event(4, "authn_login_lock", None, ada, outcome="locked", detail="account,address"),
        event(5, "authn_token_reuse", ada, ada, outcome="family_revoked", detail="f" * 36),
        event(
            6,
            "authn_token_reuse",
            "other-id-987654321",
            "other-id-987654321",
            outcome="family_revoked",
            detail="abc",
        ),
    ]

    page = as_admin.get("/admin/audit").text

    assert cells(page) == [
        [
            "2025-02-03 04:01 UTC",
            "Role changed",
            "root@example.com",
            "ada@example.com",
            "done",
            "user → admin",
        ],
        [
            "2025-02-03 04:02 UTC",
            "User deleted",
            "root@example.com",
            "bob@example.com (deleted)",
            "done",
            "",
        ],
        [
            "2025-02-03 04:03 UTC",
            "First admin set up",
            "system",
            "root@example.com",
            "account created",
            "",
        ],
        [
            "2025-02-03 04:04 UTC",
            "Sign-in locked",
            "system",
            "ada@example.com",
            "locked",
            "account, address",
        ],
        [
            "2025-02-03 04:05 UTC",
            "Token reuse detected",
            "ada@example.com",
            "ada@example.com",
            "sessions revoked",
            "session family ffffffff…",
        ],
        [
            "2025-02-03 04:06 UTC",
            "Token reuse detected",
            "deleted user other-id…",
            "deleted user other-id…",
            "sessions revoked",
            "abc",
        ],
    ]
    assert 'title="other-id-987654321"' in page
    lookups = [call for call in fake_api.calls if call.startswith("GET /users/")]
    assert sorted(lookups) == sorted(
        f"GET /users/{i}" for i in (root, ada, "gone-id-123456789", "other-id-987654321")
    )


def test_the_audit_trail_is_paged(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.admin.events = [event(n, "admin_bootstrap", None, None, "created") for n in range(30)]

    first = as_admin.get("/admin/audit").text
    second = as_admin.get("/admin/audit?offset=25").text

    assert "GET /admin/audit?limit=25&offset=0" in fake_api.calls
    assert "GET /admin/audit?limit=25&offset=25" in fake_api.calls
    assert len(cells(first)) == 25
    assert len(cells(second)) == 5
    assert f"Showing 1{DASH}25 of 30 events" in first
    assert 'rel="next" href="/admin/audit?offset=25"' in first
    assert f"Showing 26{DASH}30 of 30 events" in second
    assert 'rel="prev" href="/admin/audit"' in second
    assert 'rel="next"' not in second


def test_a_page_past_the_end_offers_the_first(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.admin.events = [event(1, "admin_bootstrap", None, None, "created")]

    page = as_admin.get("/admin/audit?offset=50").text

    assert "1 event in all." in page
    assert '<a href="/admin/audit">Back to the first page</a>' in page


def test_a_user_cannot_read_the_audit_trail(signed_in: FlaskClient) -> None:
    page = signed_in.get("/admin/audit")

    assert page.status_code == 403
    assert "Admins only" in page.text


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.3, 0.5), (1, 1), (3, 5), (7, 10), (0.0012, 0.002), (101, 200)]
)
def test_the_axis_top_is_a_round_number_at_or_above_the_highest_value(
    value: float, top: float
) -> None:
    assert nice_top(value) == pytest.approx(top)


@pytest.mark.parametrize(("value", "top"), [(0, 2), (1, 2), (3, 4), (7, 8), (10, 10), (45, 60)])
def test_count_axes_end_on_an_even_whole_number(value: int, top: int) -> None:
    assert count_top(value) == top
