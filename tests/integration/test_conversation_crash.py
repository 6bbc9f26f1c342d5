"""kill -9 while an answer streams into a conversation (security.md #47): every message the
process acknowledged is there, and the answer in flight is absent, never half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import simulator_fixtures as fx
from tests.integration.conftest import query
from tests.simulator_fixtures import SimulatorHandle

simulator_session, simulator = fx.simulator_session, fx.simulator
ANSWERS = 3  # acknowledged before the kill


def test_kill_9_mid_stream_loses_no_acknowledged_message(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    simulator.set_scenario(chunk_delay_ms=15)  # each answer streams for ~0.6 s
    path = tmp_path / "crash.duckdb"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.conversation_child",
            str(path),
            simulator.base_url,
            simulator.api_key,
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    acknowledged: dict[str, int | None] = {}  # message id -> answer length (None: a question)

    def note(line: str) -> str:
        kind, message_id, *rest = line.split()
        acknowledged[message_id] = int(rest[0]) if rest else None
        return kind

    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if note(child.stdout.readline()) == "user" and len(acknowledged) > 2 * ANSWERS:
                break  # an answer is streaming now
        time.sleep(0.1)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    for line in child.stdout.read().splitlines():  # printed before the kill, not yet read
        note(line)

    rows = query(
        path,
        "SELECT id, role, status, length(content), generation_id FROM conversation_messages "
        "ORDER BY position",
    )
    stored = {row[0]: row for row in rows}
    assert len(acknowledged) > 2 * ANSWERS
    for message_id, chars in acknowledged.items():
        assert message_id in stored
        if chars is not None:
            assert stored[message_id][3] == chars
    roles = [row[1] for row in rows]
    assert roles == ["user", "assistant"] * (len(rows) // 2) + ["user"] * (len(rows) % 2)
    answers = [row for row in rows if row[1] == "assistant"]
    assert {row[2] for row in answers} == {"completed"}  # none half-written, none partial
    generations = query(path, "SELECT id FROM generations WHERE kind = 'text'")
    assert {row[4] for row in answers} == {row[0] for row in generations}
