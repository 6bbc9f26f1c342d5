"""Routes get what the container provides by its type, through async dependencies only:
no dependency runs in the thread pool (the benchmarks found that hop costly)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from adapters.sql.health import SqlHealth
from application.auth.register_user import RegisterUser
from application.generation.submit_video_from_image import SubmitVideoFromImage
from entrypoints.api.deps import Provided, provider_name
from entrypoints.settings import Settings


def calls(dependant: Dependant) -> list[Any]:
    found = []
    for dependency in dependant.dependencies:
        found += [dependency.call, *calls(dependency)]
    return found


def test_every_dependency_of_every_route_is_async(client: TestClient) -> None:
    routes = [route for route in client.app.routes if isinstance(route, APIRoute)]  # type: ignore[attr-defined]
    sync = {
        f"{route.path}: {getattr(call, '__name__', call)}"
        for route in routes
        for call in calls(route.dependant)
        if not inspect.iscoroutinefunction(call)
    }
    assert not sync


def test_a_provider_is_found_by_the_class_it_makes() -> None:
    assert provider_name(RegisterUser) == "register_user"
    assert provider_name(SubmitVideoFromImage) == "submit_video_from_image"
    assert provider_name(Settings) == "settings"
    assert provider_name(SqlHealth) == "health"


def test_a_type_the_container_does_not_provide_is_refused_when_the_route_is_defined() -> None:
    with pytest.raises(LookupError, match="0 providers of int"):
        Provided[int]
