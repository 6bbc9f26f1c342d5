"""Closed-loop load with wrk: a Lua script per request shape, figures read back as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass

# wrk calls done() once at the end; latencies are in microseconds
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nBENCH {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"mean":%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


@dataclass(frozen=True, slots=True)
class Shape:
    """What every request looks like; several bodies are sent in turn (one per account)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    bodies: tuple[str, ...] = ()

    def script(self) -> str:
        headers = "".join(
            f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}\n" for k, v in self.headers
        )
        lines = [f"wrk.method = {_lua_string(self.method)}", f"wrk.path = {_lua_string(self.path)}"]
        if len(self.bodies) == 1:
            lines.append(f"wrk.body = {_lua_string(self.bodies[0])}")
        elif self.bodies:
            listed = ", ".join(_lua_string(body) for body in self.bodies)
            lines.append(f"local bodies = {{{listed}}}\nlocal n = 0")
            lines.append(
                "request = function()\n  n = n + 1\n"
                "  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])\nend"
            )
        return "\n".join(lines) + "\n" + headers + _DONE


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int  # connect/read/write/timeout errors and non-2xx/3xx answers
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float

    @property
    def rps(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    @classmethod
    def parse(cls, output: str) -> WrkResult:
        line = next((ln for ln in output.splitlines() if ln.startswith("BENCH ")), None)
        if line is None:
            raise RuntimeError(f"wrk printed no figures:\n{output[-2000:]}")
        raw = json.loads(line[len("BENCH ") :])
        errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
        return cls(
            requests=raw["requests"],
            seconds=raw["duration_us"] / 1e6,
            errors=errors,
            p50_ms=raw["p50"] / 1000,
            p90_ms=raw["p90"] / 1000,
            p99_ms=raw["p99"] / 1000,
            mean_ms=raw["mean"] / 1000,
        )


def start_wrk(
    base_url: str,
    shape: Shape,
    *,
    connections: int,
    seconds: float,
    cores: frozenset[int] | None,
    timeout_s: int = 10,
) -> tuple[subprocess.Popen[str], str]:
    """Start wrk in the background (so two loads can overlap); `finish` reads its figures."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(shape.script())
    script.close()
    argv = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "-s",
        script.name,
        base_url,
    ]

    def preexec() -> None:
        if cores:
            os.sched_setaffinity(0, cores)

    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=preexec
    )
    return process, script.name


def finish(started: tuple[subprocess.Popen[str], str]) -> WrkResult:
    process, script = started
    output, _ = process.communicate(timeout=600)
    os.unlink(script)
    return WrkResult.parse(output)


def run_wrk(
    base_url: str,
    shape: Shape,
    *,
    connections: int,
    seconds: float,
    cores: frozenset[int] | None,
) -> WrkResult:
    return finish(start_wrk(base_url, shape, connections=connections, seconds=seconds, cores=cores))
