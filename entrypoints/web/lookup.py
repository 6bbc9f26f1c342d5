"""One thing of the API's, named by its id in the path: the id's shape, and the API's 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from flask import abort

from entrypoints.web.api_errors import ApiProblem
from entrypoints.web.session import call_api

T = TypeVar("T")
# The shape of the API's ids (generations, video jobs, media, users): anything else is
# answered 404 here and never reaches an API path.
API_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def is_api_id(value: str) -> bool:
    return API_ID.fullmatch(value) is not None


def check_id(value: str) -> None:
    if not is_api_id(value):
        abort(404)


def call_or_404(call: Callable[[str], T]) -> T:
    """call_api, with the API's 404 (not found, or not this user's) shown as ours."""
    try:
        return call_api(call)
    except ApiProblem as problem:
        if problem.status == 404:
            abort(404)
        raise
