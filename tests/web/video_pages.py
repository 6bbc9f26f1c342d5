"""Helpers of the video form tests: reading selects and option boxes, and a form's data."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.web.conftest import csrf_token


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select id="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r'value="([^"]*)"', select.group(1))


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select id="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option (?:selected value="([^"]*)"|value="([^"]*)" selected)', select[1])
    return (chosen.group(1) or chosen.group(2)) if chosen else ""


def box(page: str, name: str) -> str:
    match = re.search(rf'<div class="option[^"]*" data-option="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def form_data(client: FlaskClient, path: str = "/video", **values: Any) -> dict[str, Any]:
    return {
        "csrf_token": csrf_token(client, path),
        "model": "google/veo-3.1-lite",
        "prompt": "A fox in the snow",
        "generate_audio": "y",
        **values,
    }
