"""House rules that keep the code base in shape (style.md §3.3)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import adapters
import application
import domain
from domain.errors import Error
from entrypoints.api.problems import PROBLEMS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["domain", "application", "adapters", "entrypoints", "simulator", "tests", "bench"]
MAX_LINES = 300


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_all_subclasses(sub) for sub in found))


def _import_everything() -> None:
    for package in (domain, application, adapters):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


def test_every_error_code_has_a_problem_row() -> None:
    _import_everything()
    missing = {e.code for e in _all_subclasses(Error)} - PROBLEMS.keys()
    assert missing == set()


@pytest.mark.parametrize("package", PACKAGES)
def test_no_python_file_is_longer_than_300_lines(package: str) -> None:
    too_long = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)  # .venv-*
        and len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    ]
    assert too_long == []


def test_the_api_offers_exactly_the_domain_aspect_ratios() -> None:
    from typing import get_args

    from domain.generations import ASPECT_RATIOS
    from entrypoints.api.schemas.generation import AspectRatio

    assert set(get_args(AspectRatio)) == set(ASPECT_RATIOS)
