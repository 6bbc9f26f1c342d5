# allucanget: `make run` starts the platform, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint unit integration api e2e bench bench-stats clean browser postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/allucanget serve

browser:
	@command -v chromium >/dev/null 2>&1 || ( \
	  echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium )

# the tests start their own throwaway cluster from Debian's package (tests/postgres.py)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ( \
	  echo "installing Debian postgresql for the PostgreSQL tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql )

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q

test: $(STAMP) browser postgres lint
	$(BIN)/python -m pytest -q

bench: $(STAMP) postgres
	bash bench/setup.sh
	$(BIN)/python -m bench.run

bench-stats: $(STAMP)
	$(BIN)/python bench/stats_bench.py

demo: $(STAMP)
	$(BIN)/allucanget demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
