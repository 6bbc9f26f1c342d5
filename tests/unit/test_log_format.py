"""The JSON log line's time field and URL redaction, as the formatter's fast paths give them."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from entrypoints.logs import JsonFormatter, without_url_queries


def record_at(created: float, message: str = "m") -> logging.LogRecord:
    record = logging.makeLogRecord({"msg": message, "name": "t", "levelname": "INFO"})
    record.created = created
    return record


def test_the_time_is_the_iso_utc_moment_of_the_record_whatever_came_before() -> None:
    formatter = JsonFormatter()
    moments = [1_765_000_000.25, 1_765_000_000.5, 1_765_000_001.0, 1_765_000_000.75, 0.0]
    moments += [1_765_000_001.000001, 1_765_003_600.999999, 1_765_000_001.5]
    for created in moments:
        line = json.loads(formatter.format(record_at(created)))
        assert line["time"] == datetime.fromtimestamp(created, UTC).isoformat(), created


def test_only_absolute_urls_lose_their_query() -> None:
    assert without_url_queries("GET /v1/models?x=1 status=200") == "GET /v1/models?x=1 status=200"
    assert (
        without_url_queries("fetched https://cdn.test/v.mp4?sig=abc#f then ok")
        == "fetched https://cdn.test/v.mp4?[query removed] then ok"
    )
    line = JsonFormatter().format(record_at(1.5, "see http://a.b/c?token=s3cr3t"))
    assert "s3cr3t" not in line and "http://a.b/c?[query removed]" in line
