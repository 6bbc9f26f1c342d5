"""The Docker files can't be built here (no registry for base images), so check what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def dockerfile_stages() -> dict[str, list[str]]:
    stages: dict[str, list[str]] = {}
    current = ""
    for line in (DOCKER / "Dockerfile").read_text().splitlines():
        found = re.match(r"FROM\s+\S+\s+AS\s+(\w+)", line, re.IGNORECASE)
        if found:
            current = found.group(1)
            stages[current] = []
        elif current and line.strip() and not line.lstrip().startswith("#"):
            stages[current].append(line.strip())
    return stages


def profiled(profile: str | None) -> dict:  # type: ignore[type-arg]
    """The services that start with `profile` alone (None: with no profile named)."""
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("profiles") == ([profile] if profile else None)
    }


def test_compose_runs_the_api_and_the_web_ui_on_one_data_volume() -> None:
    services = profiled(None)
    assert set(services) == {"api", "web"}
    assert "ALLUCANGET_DATABASE_URL" not in services["api"]["environment"]  # DuckDB
    assert services["api"]["command"] == ["allucanget", "api"]
    assert services["web"]["command"] == ["allucanget", "web"]
    assert services["web"]["environment"]["ALLUCANGET_API_URL"] == "http://api:8000"
    assert services["web"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert "data" in compose()["volumes"]
    assert services["api"]["volumes"] == ["data:/data"]
    # The web never writes the database; its server-side sessions have a volume of their own.
    assert services["web"]["volumes"] == ["data:/data:ro", "web:/web"]
    assert services["web"]["environment"]["ALLUCANGET_WEB_SESSION_DB"].startswith("/web/")


@pytest.mark.parametrize(("api", "web"), [("api", "web"), ("api-pg", "web-pg")])
def test_compose_trusts_the_web_container_and_the_gateway_as_proxies(api: str, web: str) -> None:
    """security.md #7: the API sees each browser's address, not the web container's, so one
    address's failed sign-ins never lock out everyone."""
    services = compose()["services"]
    web_address = services[web]["networks"]["default"]["ipv4_address"]
    gateway = compose()["networks"]["default"]["ipam"]["config"][0]["gateway"]
    assert services[api]["environment"]["ALLUCANGET_TRUSTED_PROXIES"] == web_address
    assert services[web]["environment"]["ALLUCANGET_TRUSTED_PROXIES"] == gateway


def test_compose_postgres_profile_runs_postgres_15_and_a_two_worker_api_on_it() -> None:
    services = profiled("postgres")
    assert set(services) == {"postgres", "api-pg", "web-pg"}
    database, api, web = services["postgres"], services["api-pg"], services["web-pg"]
    assert re.fullmatch(r"postgres:15(\.\d+)?(-\w+)?", database["image"])
    assert "pg_isready" in database["healthcheck"]["test"]
    assert database["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pgdata" in compose()["volumes"]
    assert "ports" not in database  # reached on the compose network only
    assert database["environment"]["POSTGRES_PASSWORD"] == "${ALLUCANGET_PG_PASSWORD:-}"
    url = api["environment"]["ALLUCANGET_DATABASE_URL"]
    user, name = database["environment"]["POSTGRES_USER"], database["environment"]["POSTGRES_DB"]
    assert url == f"postgresql://{user}:${{ALLUCANGET_PG_PASSWORD:-}}@postgres:5432/{name}"
    assert api["environment"]["ALLUCANGET_API_WORKERS"] == "2"
    assert api["command"] == ["allucanget", "api"]
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    # media and the generated secret_key stay on the data volume a DuckDB deployment used
    assert api["volumes"] == ["data:/data"]
    assert web["command"] == ["allucanget", "web"]
    assert web["environment"]["ALLUCANGET_API_URL"] == "http://api-pg:8000"
    assert web["depends_on"]["api-pg"]["condition"] == "service_healthy"
    assert web["volumes"] == ["data:/data:ro", "web:/web"]


def test_compose_services_have_their_own_addresses() -> None:
    addresses = [
        service["networks"]["default"]["ipv4_address"] for service in compose()["services"].values()
    ]
    assert len(addresses) == len(set(addresses))


@pytest.mark.parametrize(("api", "web"), [("api", "web"), ("api-pg", "web-pg")])
def test_compose_publishes_on_loopback_with_healthchecks_and_no_root(api: str, web: str) -> None:
    for name, port in [(api, 8000), (web, 5000)]:
        service = compose()["services"][name]
        assert service["ports"] == [f"127.0.0.1:{port}:{port}"]
        assert f":{port}/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["user"] not in ("0", "root")


def test_the_image_is_multi_stage_slim_non_root_and_healthchecked() -> None:
    stages = dockerfile_stages()
    assert list(stages) == ["build", "runtime"]
    text = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"FROM python:3\.11-slim AS runtime", text)
    runtime = "\n".join(stages["runtime"])
    assert "build-essential" not in runtime and "apt-get" not in runtime
    assert re.search(r"^USER allucanget$", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime and "/healthz" in runtime


def test_the_env_example_names_only_real_settings() -> None:
    from entrypoints.settings import Settings

    known = {f"ALLUCANGET_{name.upper()}" for name in Settings.model_fields}
    known |= {"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL"}
    names = re.findall(
        r"^([A-Z_]+)=", (DOCKER / "allucanget.env.example").read_text(), re.MULTILINE
    )
    assert names and set(names) <= known


def test_compose_sets_only_real_settings() -> None:
    from entrypoints.settings import Settings

    known = {f"ALLUCANGET_{name.upper()}" for name in Settings.model_fields}
    for name, service in compose()["services"].items():
        ours = {key for key in service.get("environment", {}) if key.startswith("ALLUCANGET_")}
        assert ours <= known, (name, ours - known)
