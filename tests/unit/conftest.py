"""Fixtures of the unit layer: a fresh world of fakes per test."""

from __future__ import annotations

import pytest

from tests.unit.world import World


@pytest.fixture
def world() -> World:
    return World()
