"""The arms of a bench run, started once and shared by the scenarios: the simulator, our API
(DuckDB), our API with in-memory recording, the bare FastAPI baseline and the LiteLLM proxy;
for the engine scenarios also our API on DuckDB, on PostgreSQL, and on PostgreSQL with two
worker processes, none pinned to a core (`start_engines`)."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.pg_cluster import PgCluster, start_cluster
from bench.procs import CorePlan, Proc, free_port

ROOT = Path(__file__).resolve().parent.parent
MODEL = "openai/gpt-4o-mini"
SIM_KEY = "sk-or-v1-simulator"
LITELLM_KEY = "sk-bench-litellm-" + secrets.token_hex(8)
PASSWORD = "bench passphrase " + secrets.token_hex(4)
ADMIN_EMAIL = "bench-admin@example.com"
LITELLM_CONFIG = """model_list:
  - model_name: {model}
    litellm_params:
      model: openrouter/{model}
      api_base: {upstream}
      api_key: {key}
"""


@dataclass
class Platform:
    cores: CorePlan
    work: Path
    simulator: Proc
    ours: Proc
    memory: Proc
    bare: Proc
    litellm: Proc | None
    litellm_skipped: str | None
    engines: dict[str, Proc] = field(default_factory=dict)  # duck, pg1, pg2 (start_engines)
    pg: PgCluster | None = None

    @property
    def upstream(self) -> str:
        return self.simulator.url + "/api/v1"

    def set_simulator(self, **scenario: object) -> None:
        answer = httpx.post(self.simulator.url + "/__sim/scenario", json=scenario, timeout=60)
        answer.raise_for_status()


def _api_env(data_dir: Path, upstream: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLUCANGET_", "OPENROUTER"))}
    env.update(
        ALLUCANGET_DATA_DIR=str(data_dir),
        ALLUCANGET_SECRET_KEY=secrets.token_hex(32),
        OPENROUTER_API_KEY=SIM_KEY,
        OPENROUTER_BASE_URL=upstream,
        ALLUCANGET_ADMIN_EMAIL=ADMIN_EMAIL,
        ALLUCANGET_ADMIN_PASSWORD=PASSWORD,
        # the per-user limits would turn a load test of one user into 429s (LiteLLM has none)
        ALLUCANGET_GENERATIONS_PER_MINUTE="100000",
        ALLUCANGET_MAX_CONCURRENT_GENERATIONS="10000",
    )
    return env


def litellm_binary() -> tuple[Path | None, str | None]:
    venv = Path(os.environ.get("BENCH_LITELLM_VENV", ROOT / "bench" / ".venv-litellm"))
    binary = venv / "bin" / "litellm"
    if binary.exists():
        return binary, None
    reason = (venv / "SKIPPED").read_text().strip() if (venv / "SKIPPED").exists() else ""
    return None, reason or f"LiteLLM is not installed in {venv} (run bench/setup.sh)"


def start_platform(stack: ExitStack, with_litellm: bool = True) -> Platform:
    cores = CorePlan.for_machine()
    work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="allucanget-bench-")))
    python = sys.executable
    port = free_port()
    simulator = Proc(
        "simulator",
        [python, "-m", "simulator", "--port", str(port), "--log-level", "warning"],
        port,
        "/api/v1/models",
        work,
        cores.load,
    )
    procs = [simulator]
    upstream = simulator.url + "/api/v1"
    port = free_port()
    ours = Proc(
        "ours",
        [
            python,
            "-m",
            "entrypoints.cli",
            "api",
            "--host",
            "127.0.0.1",
            "--api-port",
            str(port),
            "--data-dir",
            str(work / "ours"),
        ],
        port,
        "/healthz",
        work,
        cores.sut,
        _api_env(work / "ours", upstream),
    )
    port = free_port()
    memory = Proc(
        "ours-memory",
        [python, str(ROOT / "bench" / "variant.py"), "--port", str(port)],
        port,
        "/healthz",
        work,
        cores.sut,
        _api_env(work / "memory", upstream),
    )
    port = free_port()
    bare = Proc(
        "bare",
        [python, str(ROOT / "bench" / "bare.py"), "--port", str(port), "--upstream", upstream],
        port,
        "/hello",
        work,
        cores.sut,
    )
    procs += [ours, memory, bare]
    for proc in procs:
        proc.env.setdefault("PYTHONPATH", str(ROOT))
    litellm, skipped = None, None
    binary, skipped = litellm_binary() if with_litellm else (None, "not asked for")
    if binary is not None:
        config = work / "litellm.yaml"
        config.write_text(LITELLM_CONFIG.format(model=MODEL, upstream=upstream, key=SIM_KEY))
        port = free_port()
        env = dict(
            os.environ,
            LITELLM_MASTER_KEY=LITELLM_KEY,
            LITELLM_TELEMETRY="False",
            LITELLM_LOCAL_MODEL_COST_MAP="True",
        )
        litellm = Proc(
            "litellm",
            [
                str(binary),
                "--config",
                str(config),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--num_workers",
                "1",
            ],
            port,
            "/health/liveliness",
            work,
            cores.sut,
            env,
        )
        procs.append(litellm)
    for proc in procs:
        stack.callback(proc.stop)
        proc.start()
    return Platform(cores, work, simulator, ours, memory, bare, litellm, skipped)


ENGINE_ARMS = {"duck": (None, 1), "pg1": ("bench_pg1", 1), "pg2": ("bench_pg2", 2)}


def start_engines(stack: ExitStack, platform: Platform) -> None:
    """Our API on DuckDB (one process), on PostgreSQL with one worker process and with two,
    each on its own data directory and database of a durable throwaway cluster. Nothing is
    pinned: the engines are compared on the whole machine, load generator included."""
    cluster = start_cluster()
    stack.callback(cluster.stop)
    platform.pg = cluster
    for name, (database, workers) in ENGINE_ARMS.items():
        data_dir = platform.work / name
        env = _api_env(data_dir, platform.upstream)
        env["PYTHONPATH"] = str(ROOT)
        argv = [sys.executable, "-m", "entrypoints.cli", "api", "--host", "127.0.0.1"]
        if database is not None:
            env["ALLUCANGET_DATABASE_URL"] = cluster.create(database)
            argv += ["--workers", str(workers)]
        port = free_port()
        argv += ["--api-port", str(port), "--data-dir", str(data_dir)]
        proc = Proc(name, argv, port, "/healthz", platform.work, None, env)
        stack.callback(proc.stop)
        proc.start()
        platform.engines[name] = proc


def sign_in(base_url: str, email: str, password: str = PASSWORD, register: bool = True) -> str:
    """An access token for `email` (registered first when asked); 15 minutes of life."""
    with httpx.Client(base_url=base_url, timeout=120) as client:
        if register:
            client.post("/auth/register", json={"email": email, "password": password})
        answer = client.post("/auth/login", json={"email": email, "password": password})
        answer.raise_for_status()
        return str(answer.json()["access_token"])


def api_key(base_url: str, email: str, password: str = PASSWORD) -> str:
    """A personal API key (`agk_...`) of `email`, registered first; it does not expire."""
    token = sign_in(base_url, email, password)
    with httpx.Client(base_url=base_url, timeout=120) as client:
        answer = client.post(
            "/api-keys", json={"name": "bench"}, headers={"Authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()
        return str(answer.json()["key"])


def generations_total(base_url: str, admin_token: str) -> int:
    answer = httpx.get(
        base_url + "/admin/stats", headers={"Authorization": f"Bearer {admin_token}"}, timeout=120
    )
    answer.raise_for_status()
    return int(answer.json()["generations"]["total"])
