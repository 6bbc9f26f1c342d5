"""What every admin page shares: the API decides who is an admin, and paging of long lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from flask.typing import ResponseReturnValue

from entrypoints.web.api_client import ApiProblem
from entrypoints.web.errors import error_page
from entrypoints.web.session import call_api, current_user, login_required, update_user

T = TypeVar("T")
FORBIDDEN_TITLE = "Admins only"
FORBIDDEN = "This area is for administrators, and your account does not have the admin role."
MAX_OFFSET = 10_000_000  # the API's bound on offset


class NotAdminError(Exception):
    """The API answered 403 `forbidden` to an admin call."""


def admin_call(call: Callable[[str], T]) -> T:
    """call_api for admin routes. The API's answer is the role that counts (security.md #15):
    it is copied into the session, so the Admin entry of the navigation follows it."""
    try:
        result = call_api(call)
    except ApiProblem as problem:
        if problem.code == "forbidden":
            _remember_role("user")
            raise NotAdminError from problem
        raise
    _remember_role("admin")
    return result


def admin_page(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Signed in, and a friendly 403 page when the API says this user is no admin."""

    @wraps(view)
    def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
        try:
            return view(*args, **kwargs)
        except NotAdminError:
            return error_page(403, FORBIDDEN, title=FORBIDDEN_TITLE)

    return login_required(guarded)


def _remember_role(role: str) -> None:
    user = current_user()
    if user is not None:
        update_user(user["email"], role)


def offset_arg(value: str | None) -> int:
    try:
        return min(max(int(value or 0), 0), MAX_OFFSET)
    except ValueError:
        return 0


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of `limit` rows starting at `offset` sits in `total` rows."""

    offset: int
    limit: int
    total: int
    shown: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.offset + self.shown

    @property
    def previous(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None
