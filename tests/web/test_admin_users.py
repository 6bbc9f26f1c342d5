"""The users table: search and paging passed to the API, role changes, confirmed deletion."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import FakeApi, csrf_token

ENDED = "Your session has ended. Please sign in again."

DASH = "\N{EN DASH}"  # as in "Showing 1-20 of 25"


def emails(page: str) -> list[str]:
    return re.findall(r'data-testid="user-row" data-email="([^"]+)"', page)


def post(client: FlaskClient, path: str, **data: str) -> tuple[str, str]:
    """POST a form of the users page; returns where it went, and the page shown there."""
    response = client.post(path, data={"csrf_token": csrf_token(client, "/admin/users"), **data})
    assert response.status_code == 302, response.text
    return response.location, client.get(response.location).text


def test_the_table_lists_users_with_their_role_and_actions(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("ada@example.com")
    ada = fake_api.user_id("ada@example.com")

    page = as_admin.get("/admin/users").text

    assert emails(page) == ["root@example.com", "ada@example.com"]
    assert "GET /users?limit=20&offset=0" in fake_api.calls
    assert 'root@<wbr>example.com <span class="badge">you</span>' in page
    assert '<span class="badge badge-role-user">user</span>' in page
    assert f'<form method="post" action="/admin/users/{ada}/role" class="role-form">' in page
    assert f'href="/admin/users/{ada}/delete?back=/admin/users"' in page
    assert f"Showing 1{DASH}2 of 2 users" in page


def test_search_and_paging_are_passed_to_the_api(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    for n in range(25):
        fake_api.add_user(f"ada{n:02d}@example.com")

    first = as_admin.get("/admin/users?q=ada").text
    second = as_admin.get("/admin/users?q=ada&offset=20").text

    assert "GET /users?limit=20&offset=0&q=ada" in fake_api.calls
    assert "GET /users?limit=20&offset=20&q=ada" in fake_api.calls
    assert len(emails(first)) == 20
    assert emails(second) == [f"ada{n}@example.com" for n in range(20, 25)]
    assert f"Showing 1{DASH}20 of 25 users" in first
    assert 'rel="next" href="/admin/users?offset=20&amp;q=ada"' in first
    assert f"Showing 21{DASH}25 of 25 users" in second
    assert 'rel="prev" href="/admin/users?q=ada"' in second
    assert 'value="ada"' in second  # the search box keeps the query


def test_odd_paging_values_are_tamed(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    as_admin.get("/admin/users?offset=-5&q=" + "x" * 400)
    as_admin.get("/admin/users?offset=lots")

    assert "GET /users?limit=20&offset=0&q=" + "x" * 320 in fake_api.calls
    assert "GET /users?limit=20&offset=0" in fake_api.calls


def test_a_search_that_finds_nobody_says_so(as_admin: FlaskClient) -> None:
    page = as_admin.get("/admin/users?q=nobody").text

    assert "No user's email contains “nobody”." in page


def test_promoting_a_user(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")
    ada = fake_api.user_id("ada@example.com")

    where, page = post(
        as_admin, f"/admin/users/{ada}/role", role="admin", back="/admin/users?q=ada&offset=0"
    )

    assert where == "/admin/users?q=ada&offset=0"
    assert f"PUT /users/{ada}/role" in fake_api.calls
    assert fake_api.admin.bodies == [{"role": "admin"}]
    assert "ada@example.com is now an admin." in page
    assert fake_api.users["ada@example.com"]["user"]["role"] == "admin"


def test_choosing_the_current_role_changes_nothing(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("ada@example.com")

    _, page = post(
        as_admin, f"/admin/users/{fake_api.user_id('ada@example.com')}/role", role="user"
    )

    assert "ada@example.com is already a user." in page
    assert not any(call.startswith("PUT") for call in fake_api.calls)


def test_the_last_admin_cannot_be_demoted(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    root = fake_api.user_id("root@example.com")

    _, page = post(as_admin, f"/admin/users/{root}/role", role="user")

    assert "This is the last admin and cannot be demoted." in page
    assert fake_api.users["root@example.com"]["user"]["role"] == "admin"


def test_demoting_yourself_leaves_the_admin_area(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("other@example.com", role="admin")

    where, page = post(
        as_admin, f"/admin/users/{fake_api.user_id('root@example.com')}/role", role="user"
    )

    assert where == "/"
    assert "You are no longer an admin." in page
    assert '<a href="/admin">Admin</a>' not in page


def test_an_unknown_role_or_back_address_is_refused(
    as_admin: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("ada@example.com")
    ada = fake_api.user_id("ada@example.com")

    where, page = post(
        as_admin, f"/admin/users/{ada}/role", role="owner", back="https://evil.example/"
    )

    assert where == "/admin/users"
    assert "Choose a role: user or admin." in page
    assert not any(call.startswith("PUT") for call in fake_api.calls)
    where, _ = post(as_admin, f"/admin/users/{ada}/role", role="admin", back="/history")
    assert where == "/admin/users"


def test_deleting_asks_first_and_then_deletes(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")
    ada = fake_api.user_id("ada@example.com")

    confirm = as_admin.get(f"/admin/users/{ada}/delete?back=/admin/users?offset=0")

    assert confirm.status_code == 200
    question = "Delete <strong>ada@example.com</strong>? This removes their generations and media."
    assert question in confirm.text
    assert f'<form method="post" action="/admin/users/{ada}/delete"' in confirm.text
    assert 'name="back" type="hidden" value="/admin/users?offset=0"' in confirm.text
    assert "ada@example.com" in fake_api.users  # nothing deleted on GET
    assert not any(call.startswith("DELETE") for call in fake_api.calls)

    token = csrf_token(as_admin, f"/admin/users/{ada}/delete")
    response = as_admin.post(
        f"/admin/users/{ada}/delete", data={"csrf_token": token, "back": "/admin/users?offset=0"}
    )

    assert response.location == "/admin/users?offset=0"
    assert f"DELETE /users/{ada}" in fake_api.calls
    assert "ada@example.com" not in fake_api.users
    page = as_admin.get(response.location).text
    assert "ada@example.com was deleted, with their generations and media." in page


def test_deleting_a_user_already_gone_says_so(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("ada@example.com")
    ada = fake_api.user_id("ada@example.com")
    token = csrf_token(as_admin, f"/admin/users/{ada}/delete")
    del fake_api.users["ada@example.com"]

    response = as_admin.post(f"/admin/users/{ada}/delete", data={"csrf_token": token})
    confirm = as_admin.get(f"/admin/users/{ada}/delete")

    assert response.location == "/admin/users"
    assert confirm.location == "/admin/users"
    assert (
        "That user no longer exists: they were already deleted."
        in as_admin.get("/admin/users").text
    )


def test_the_last_admin_cannot_be_deleted(as_admin: FlaskClient, fake_api: FakeApi) -> None:
    root = fake_api.user_id("root@example.com")

    _, page = post(as_admin, f"/admin/users/{root}/delete")

    assert "This is the last admin and cannot be deleted." in page
    assert "root@example.com" in fake_api.users


def test_a_deleted_user_is_thrown_out_on_the_next_click(
    signed_in: FlaskClient, fake_api: FakeApi
) -> None:
    fake_api.add_user("root@example.com", role="admin")
    del fake_api.users["ada@example.com"]
    fake_api.end_sessions("ada@example.com")

    response = signed_in.get("/history")

    assert response.location == "/login?next=/history"
    assert ENDED in signed_in.get(response.location).text


@pytest.mark.parametrize("action", ["role", "delete"])
@pytest.mark.parametrize("token", [None, "forged"])
def test_every_admin_post_needs_the_csrf_token(
    as_admin: FlaskClient, fake_api: FakeApi, action: str, token: str | None
) -> None:
    fake_api.add_user("ada@example.com")
    data = {"role": "admin"} | ({"csrf_token": token} if token else {})
    calls = len(fake_api.calls)

    response = as_admin.post(
        f"/admin/users/{fake_api.user_id('ada@example.com')}/{action}", data=data
    )

    assert response.status_code == 400
    assert "Your form expired, please try again." in response.text
    assert fake_api.calls[calls:] == []
    assert fake_api.users["ada@example.com"]["user"]["role"] == "user"


def test_a_user_cannot_post_admin_forms(signed_in: FlaskClient, fake_api: FakeApi) -> None:
    fake_api.add_user("bob@example.com")
    token = csrf_token(signed_in, "/account/password")

    response = signed_in.post(
        f"/admin/users/{fake_api.user_id('bob@example.com')}/delete", data={"csrf_token": token}
    )

    assert response.status_code == 403
    assert "Admins only" in response.text
    assert "bob@example.com" in fake_api.users


def test_malformed_ids_are_not_found(as_admin: FlaskClient) -> None:
    assert as_admin.get("/admin/users/not..an..id/delete").status_code == 404
