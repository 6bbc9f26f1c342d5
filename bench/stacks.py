"""Collapsed stacks (py-spy's `--format raw`, flamegraph.pl's input) read into shares: by
function and by area of the code, each by own time (the innermost frame) and by total time
(anywhere in the stack, once per sample).

A frame is `function (path:line)`. Paths are shortened to what names the code: the part
after `site-packages/`, the part inside this repository, `stdlib/...` for the standard library.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>.*?)(?::(?P<line>\d+))?\)$")
_STDLIB = re.compile(r"/lib/python3\.\d+/")

# (area, path prefixes), first match wins; a frame of no area (most of the standard library:
# typing, re, functools, contextlib, threading, asyncio's futures and tasks, concurrent's
# executor...) is charged to the nearest caller that has one: aiohttp's look-ups of netrc and
# proxies count to the upstream call. Handing work to a thread and back (submit, the futures)
# is an area of its own; a worker thread's entry frames have none.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("server (uvicorn/h11/httptools)", ("uvicorn/", "h11/", "httptools/", "uvloop/")),
    ("metrics", ("prometheus_client/", "adapters/metrics/", "entrypoints/api/metrics.py")),
    ("logging", ("stdlib/logging/", "entrypoints/logs.py", "pythonjsonlogger/", "structlog/")),
    ("jwt", ("jwt/", "cryptography/", "adapters/security/tokens.py")),
    ("DuckDB", ("duckdb/", "_duckdb", "adapters/duckdb/", "adapters/sql/")),
    (
        "upstream call (httpx/aiohttp)",
        (
            "httpx/",
            "httpcore/",
            "httpx_aiohttp/",
            "aiohttp/",
            "yarl/",
            "multidict/",
            "aiohappyeyeballs/",
            "adapters/openrouter/",
        ),
    ),
    ("pydantic (validation/serialisation)", ("pydantic/", "pydantic_core/")),
    # FastAPI's native telemetry asks OpenTelemetry for its providers on every request
    ("telemetry (FastAPI's OpenTelemetry hooks)", ("fastapi/telemetry/", "opentelemetry/")),
    ("json", ("stdlib/json/", "orjson", "ujson")),
    ("routing+middleware (starlette/fastapi)", ("starlette/", "fastapi/", "anyio/")),
    ("dependency injection", ("dependency_injector/",)),
    (
        "thread hand-off (executor, future chaining)",
        ("stdlib/concurrent/futures/", "stdlib/asyncio/futures.py", "stdlib/asyncio/threads.py"),
    ),
    (
        "our code (routes, use cases, domain)",
        ("entrypoints/", "application/", "domain/", "adapters/"),
    ),
    # uvloop's loop is C: its own work (socket reads and writes, scheduling) has no Python
    # frame below the runner's
    ("event loop (uvloop's C code)", ("stdlib/asyncio/runners.py",)),
    (
        "event loop (asyncio)",
        (
            "stdlib/asyncio/base_events.py",
            "stdlib/asyncio/events.py",
            "stdlib/asyncio/selector_events.py",
            "stdlib/selectors.py",
            "stdlib/socket.py",
        ),
    ),
    ("password hashing", ("argon2/", "passlib/", "libpass/")),
)
OTHER = "other"
ENTRIES = {  # a worker thread's own frames, above the work it was handed
    ("stdlib/concurrent/futures/thread.py", "_worker"),
    ("stdlib/concurrent/futures/thread.py", "_WorkItem.run"),
}
# innermost frames of a thread that waits (py-spy's own idle test misses some of them: a pool
# worker waiting for work, the selector's epoll, a lock): such samples are not work
WAITS: tuple[tuple[str, str], ...] = (
    ("stdlib/concurrent/futures/thread.py", "_worker"),
    ("stdlib/selectors.py", "select"),
    ("stdlib/threading.py", "wait"),
    ("stdlib/queue.py", "get"),
)

# where a thread's work starts: the frames above (runpy, the CLI, uvicorn's start, a worker
# thread's bootstrap) hold every sample of the thread and say nothing, so the table of total
# time by function starts below them
ROOTS: tuple[tuple[str, str], ...] = (
    ("stdlib/asyncio/runners.py", "Runner.run"),
    ("stdlib/concurrent/futures/thread.py", "_WorkItem.run"),
    ("stdlib/threading.py", "Thread.run"),
)


@dataclass(frozen=True, slots=True)
class Frame:
    function: str
    path: str
    line: str

    @property
    def name(self) -> str:
        if not self.path:
            return self.function
        return f"{self.function} ({self.path}{':' + self.line if self.line else ''})"

    @property
    def area(self) -> str | None:
        if (self.path, self.function) in ENTRIES:
            return None
        for area, prefixes in AREAS:
            if self.path.startswith(prefixes):
                return area
        if self.path.startswith(("stdlib/", "<")) or not self.path:
            return None  # a helper (or <frozen os>, <attrs generated ...>): its caller's area
        return OTHER


def shorten(path: str, root: str) -> str:
    """The part of a file name that says whose code it is."""
    if "site-packages/" in path:
        return path.rsplit("site-packages/", 1)[1]
    if root and path.startswith(root.rstrip("/") + "/"):
        return path[len(root.rstrip("/")) + 1 :]
    found = _STDLIB.search(path)
    if found:
        return "stdlib/" + path[found.end() :]
    return path


def parse_frame(text: str, root: str = "") -> Frame:
    if text.startswith("process ") and ":" in text:  # py-spy --subprocesses: which process
        return Frame("process " + text.split(":", 1)[0].split()[-1], "", "")
    found = _FRAME.match(text.strip())
    if found is None:
        return Frame(text.strip(), "", "")
    return Frame(found["function"], shorten(found["path"], root), found["line"] or "")


def parse(text: str, root: str = "") -> Counter[tuple[Frame, ...]]:
    """Stacks (outermost frame first) and their sample counts."""
    stacks: Counter[tuple[Frame, ...]] = Counter()
    for line in text.splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks[tuple(parse_frame(f, root) for f in stack.split(";"))] += int(count)
    return stacks


def is_wait(frame: Frame) -> bool:
    return any(
        frame.path == path and frame.function.rsplit(".", 1)[-1] == function
        for path, function in WAITS
    )


def without_waits(
    stacks: Counter[tuple[Frame, ...]],
) -> tuple[Counter[tuple[Frame, ...]], int]:
    """The stacks that were working, and the number of samples left out as waiting."""
    kept: Counter[tuple[Frame, ...]] = Counter()
    waiting = 0
    for stack, count in stacks.items():
        if stack and is_wait(stack[-1]):
            waiting += count
        else:
            kept[stack] = count
    return kept, waiting


def collapsed(stacks: Counter[tuple[Frame, ...]], top: int | None = None) -> str:
    """Back to flamegraph.pl's input (shortened names), the heaviest stacks first."""
    return "".join(
        ";".join(frame.name for frame in stack) + f" {count}\n"
        for stack, count in stacks.most_common(top)
    )


def own_area(stack: tuple[Frame, ...]) -> str:
    for frame in reversed(stack):
        area = frame.area
        if area is not None:
            return area
    return OTHER


def _below_roots(stack: tuple[Frame, ...]) -> int:
    """The index of the first frame below the thread's entry frames (0: none found)."""
    found = [i for i, f in enumerate(stack) if (f.path, f.function) in ROOTS]
    return found[-1] + 1 if found else 0


@dataclass
class Shares:
    samples: int
    own_functions: Counter[str]
    total_functions: Counter[str]
    own_areas: Counter[str]
    total_areas: Counter[str]

    def share(self, count: int) -> float:
        return count / self.samples if self.samples else 0.0


def shares(stacks: Counter[tuple[Frame, ...]]) -> Shares:
    result = Shares(0, Counter(), Counter(), Counter(), Counter())
    for stack, count in stacks.items():
        if not stack:
            continue
        result.samples += count
        result.own_functions[stack[-1].name] += count
        result.own_areas[own_area(stack)] += count
        for name in {frame.name for frame in stack[_below_roots(stack) :]}:
            result.total_functions[name] += count
        areas = {frame.area for frame in stack} - {None}
        for area in areas or {OTHER}:
            result.total_areas[str(area)] += count
    return result


def tables(found: Shares, top: int = 30, level: str = "##") -> str:
    """The areas (own and total) and the top functions by own and by total time."""
    lines = [
        f"{level} By area",
        "",
        "Own: samples whose innermost frame is in the area (standard-library helpers count to",
        "their caller). Total: samples with the area anywhere in the stack (so the total",
        "column adds up to more than 100 %).",
        "",
        "| area | own | total |",
        "|---|---|---|",
    ]
    for area, count in found.own_areas.most_common():
        total = found.total_areas[area]
        lines.append(f"| {area} | {found.share(count):.1%} | {found.share(total):.1%} |")
    for title, counter in (
        ("own time (innermost frame)", found.own_functions),
        ("total time (anywhere in the stack, below the thread's entry)", found.total_functions),
    ):
        lines += ["", f"{level} Top {top} functions by {title}", ""]
        lines += ["| share | function |", "|---|---|"]
        lines += [
            f"| {found.share(count):.1%} | `{name}` |" for name, count in counter.most_common(top)
        ]
    return "\n".join(lines) + "\n"
