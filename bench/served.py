"""What the API itself says it answered and stored, read from its Prometheus `/metrics`.

wrk counts only the answers it read before it stopped: the requests still in flight then
are answered (and recorded) by the server afterwards. Counting from the server's side, once
it has finished them, compares every answer it gave with the rows it wrote."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

ROUTE = ("POST", "/generate/text")


@dataclass(frozen=True, slots=True)
class Served:
    """Counters of one /metrics scrape: text generations answered 200, answered otherwise,
    and succeeded text generation rows in the database."""

    answered: float
    refused: float
    rows: float

    @property
    def total(self) -> float:
        """Every answer of the route, whatever its status."""
        return self.answered + self.refused

    @classmethod
    def parse(cls, text: str, route: tuple[str, str] = ROUTE) -> Served:
        answered = refused = rows = 0.0
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = sample.labels
                if (
                    sample.name == "allucanget_http_requests_total"
                    and (labels.get("method"), labels.get("route")) == route
                ):
                    if labels.get("status") == "200":
                        answered += sample.value
                    else:
                        refused += sample.value
                elif sample.name == "allucanget_generations" and (
                    labels.get("kind"),
                    labels.get("status"),
                ) == ("text", "succeeded"):
                    rows += sample.value
        return cls(answered, refused, rows)

    def since(self, before: Served) -> dict[str, float]:
        """The round's figures: answers without a row (negative: rows without an answer) and
        the answers the server refused or failed (any status but 200)."""
        answered = self.answered - before.answered
        return {
            "ours_served": answered,
            "ours_unrecorded": answered - (self.rows - before.rows),
            "ours_server_errors": self.refused - before.refused,
        }


def scrape(base_url: str, route: tuple[str, str] = ROUTE) -> Served:
    answer = httpx.get(base_url + "/metrics", timeout=120)
    answer.raise_for_status()
    return Served.parse(answer.text, route)


def settled(
    base_url: str, route: tuple[str, str] = ROUTE, quiet_s: float = 0.5, max_s: float = 60.0
) -> Served:
    """Scrape until two scrapes `quiet_s` apart agree: the server has answered and recorded
    everything it had taken. Raises (the round fails, and says so) if it never goes quiet."""
    started, last = time.monotonic(), scrape(base_url, route)
    while time.monotonic() - started < max_s:
        time.sleep(quiet_s)
        now = scrape(base_url, route)
        if now == last:
            return now
        last = now
    raise RuntimeError(f"{base_url} still answering {' '.join(route)} after {max_s:.0f} s")
