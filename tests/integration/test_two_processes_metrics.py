"""/metrics on PostgreSQL: every process reports the generations that all of them wrote,
exactly (migration 0012's counts table, kept by triggers), through writes, deletions and
a user deletion made through either process."""

from __future__ import annotations

import httpx
import psycopg

from tests.multiprocess import TwoApis, bearer, signed_up, two_apis

__all__ = ["two_apis"]  # the fixture
TEXT_MODEL, IMAGE_MODEL = "openai/gpt-4o", "google/gemini-2.5-flash-image"


def scraped(url: str) -> dict[tuple[str, str], int]:
    counts = {}
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith("allucanget_generations{"):
            inside = line[line.index("{") + 1 : line.index("}")]
            labels = dict(part.split("=") for part in inside.split(","))
            key = (labels["kind"].strip('"'), labels["status"].strip('"'))
            counts[key] = int(float(line.split()[-1]))
    return counts


def stored(database_url: str) -> dict[tuple[str, str], int]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT kind, status, count(*) FROM generations GROUP BY kind, status"
        ).fetchall()
    return {(kind, status): n for kind, status, n in rows}


def generate(url: str, tokens: dict[str, object], kind: str, prompt: str) -> httpx.Response:
    model = TEXT_MODEL if kind == "text" else IMAGE_MODEL
    return httpx.post(
        f"{url}/generate/{kind}",
        json={"prompt": prompt, "model": model},
        headers=bearer(tokens),
        timeout=30,
    )


def test_every_process_reports_what_all_of_them_wrote(two_apis: TwoApis) -> None:
    a, b = two_apis.urls
    ada, bob = signed_up(a, "ada@example.com"), signed_up(b, "bob@example.com")
    assert generate(a, ada, "text", "hi").status_code == 200
    assert generate(b, ada, "text", "[[sim:fault=403]]").status_code >= 400
    assert generate(b, bob, "text", "hello").status_code == 200
    image = generate(a, bob, "image", "a fox")
    assert image.status_code == 200, image.text
    expected = {("text", "succeeded"): 2, ("text", "failed"): 1, ("image", "succeeded"): 1}
    assert scraped(a) == scraped(b) == stored(two_apis.database_url) == expected
    deleted = httpx.delete(f"{b}/generations/{image.json()['id']}", headers=bearer(bob))
    assert deleted.status_code == 204
    expected = {("text", "succeeded"): 2, ("text", "failed"): 1}
    assert scraped(a) == scraped(b) == stored(two_apis.database_url) == expected
