"""The profile's arithmetic (bench/stacks.py): py-spy's collapsed stacks read back, file names
shortened, frames sorted into areas, waits left out, shares by own and by total time."""

from __future__ import annotations

from bench.stacks import (
    OTHER,
    collapsed,
    own_area,
    parse,
    parse_frame,
    shares,
    shorten,
    tables,
    without_waits,
)

ROOT = "/work/repo"
SITE = "/venv/lib/python3.11/site-packages"
STDLIB = "/usr/lib/python3.11"
RUN = f"Runner.run ({STDLIB}/asyncio/runners.py:86)"
CYCLE = f"RequestResponseCycle.run_asgi ({SITE}/uvicorn/protocols/http/httptools_impl.py:401)"
ROUTE = f"generate_text ({ROOT}/entrypoints/api/routes/generation.py:40)"
FETCH = f"_fetch ({ROOT}/adapters/duckdb/database.py:62)"
COPY = f"deepcopy ({STDLIB}/copy.py:128)"
VALIDATE = f"BaseModel.model_validate ({SITE}/pydantic/main.py:500)"
WORKER = f"_worker ({STDLIB}/concurrent/futures/thread.py:69)"
RAW = f"""{RUN};{CYCLE};{ROUTE};{FETCH} 50
{RUN};{CYCLE};{ROUTE};{VALIDATE};{COPY} 30
{RUN};{CYCLE};{ROUTE} 15
{RUN} 5
Thread._bootstrap ({STDLIB}/threading.py:988);{WORKER} 400
not a stack line
"""


def test_file_names_are_shortened_to_whose_code_it_is() -> None:
    assert shorten(f"{SITE}/starlette/routing.py", ROOT) == "starlette/routing.py"
    assert shorten(f"{ROOT}/adapters/duckdb/database.py", ROOT) == "adapters/duckdb/database.py"
    assert shorten(f"{STDLIB}/json/encoder.py", ROOT) == "stdlib/json/encoder.py"
    assert shorten("<frozen os>", ROOT) == "<frozen os>"
    frame = parse_frame(f"JSONEncoder.iterencode ({STDLIB}/json/encoder.py:205)", ROOT)
    assert (frame.function, frame.path, frame.line) == (
        "JSONEncoder.iterencode",
        "stdlib/json/encoder.py",
        "205",
    )
    assert frame.area == "json"
    process = parse_frame('process 17295:"/venv/bin/python -m entrypoints.cli api (x)"')
    assert (process.function, process.path, process.area) == ("process 17295", "", None)
    assert parse_frame(process.name) == process
    assert frame.name == "JSONEncoder.iterencode (stdlib/json/encoder.py:205)"


def test_a_standard_library_helper_is_charged_to_its_nearest_caller_with_an_area() -> None:
    stacks = parse(RAW, ROOT)
    helper = next(s for s in stacks if s[-1].function == "deepcopy")
    assert helper[-1].area is None and own_area(helper) == "pydantic (validation/serialisation)"
    duckdb = next(s for s in stacks if s[-1].function == "_fetch")
    assert own_area(duckdb) == "DuckDB"
    assert parse_frame("mystery (/opt/thing/x.py:1)").area == OTHER
    assert parse_frame("ItemsView.__iter__ (<frozen _collections_abc>:859)").area is None


def test_handing_work_to_a_thread_and_fastapis_telemetry_are_areas_of_their_own() -> None:
    worker = (
        f"Thread.run ({STDLIB}/threading.py:971);_WorkItem.run ({STDLIB}/concurrent/futures/"
        f"thread.py:53);Future.set_result ({STDLIB}/concurrent/futures/_base.py:537) 7\n"
    )
    submit = (
        f"{RUN};{ROUTE};Worker.run ({ROOT}/adapters/duckdb/database.py:40);"
        f"ThreadPoolExecutor.submit ({STDLIB}/concurrent/futures/thread.py:161) 3\n"
    )
    telemetry = (
        f"{RUN};NativeTelemetry.enabled ({SITE}/fastapi/telemetry/_asgi.py:174);"
        f"_Environ.__getitem__ (<frozen os>:674) 2\n"
    )
    found = shares(parse(worker + submit + telemetry, ROOT))
    assert found.own_areas == {
        "thread hand-off (executor, future chaining)": 10,
        "telemetry (FastAPI's OpenTelemetry hooks)": 2,
    }
    assert found.total_areas["DuckDB"] == 3  # the hand-off happens inside the DuckDB adapter


def test_waiting_threads_are_left_out_and_counted() -> None:
    stacks, waiting = without_waits(parse(RAW, ROOT))
    assert waiting == 400
    assert sum(stacks.values()) == 100
    assert not any(s[-1].function == "_worker" for s in stacks)


def test_shares_by_own_and_total_time_by_function_and_area() -> None:
    stacks, _ = without_waits(parse(RAW, ROOT))
    found = shares(stacks)
    assert found.samples == 100
    assert found.own_areas == {
        "DuckDB": 50,
        "pydantic (validation/serialisation)": 30,
        "our code (routes, use cases, domain)": 15,
        "event loop (uvloop's C code)": 5,
    }
    assert found.total_areas["server (uvicorn/h11/httptools)"] == 95
    assert found.total_areas["our code (routes, use cases, domain)"] == 95
    route = parse_frame(ROUTE, ROOT).name
    assert found.own_functions[route] == 15 and found.total_functions[route] == 95
    # the thread's entry frames hold every sample and are left out of the totals
    assert parse_frame(RUN, ROOT).name not in found.total_functions
    assert found.total_functions[parse_frame(CYCLE, ROOT).name] == 95
    assert found.share(found.own_areas["DuckDB"]) == 0.5
    text = tables(found, top=3)
    assert "| DuckDB | 50.0% | 50.0% |" in text
    assert "## Top 3 functions by own time" in text
    assert f"| 95.0% | `{route}` |" in text


def test_collapsed_stacks_are_written_back_heaviest_first_with_short_names() -> None:
    stacks, _ = without_waits(parse(RAW, ROOT))
    text = collapsed(stacks, top=2)
    lines = text.splitlines()
    assert len(lines) == 2 and lines[0].endswith(" 50") and lines[1].endswith(" 30")
    assert ROOT not in text and "adapters/duckdb/database.py:62" in lines[0]
    assert parse(text) == {s: c for s, c in stacks.items() if c in (50, 30)}
