# Two commands do all set-up: `make demo` and `make test`.
PY ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
AXE := node_modules/axe-core/axe.min.js
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: env demo test lint types unit bench mutation clean

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.4"

$(BIN)/jcm: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $(BIN)/jcm

env: $(BIN)/jcm

# axe-core for the accessibility tests, pinned in package-lock.json (never served).
$(AXE): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	@touch $(AXE)

demo: env
	$(BIN)/jcm db upgrade
	$(BIN)/jcm demo load
	$(BIN)/jcm serve --host $(HOST) --port $(PORT)

lint: env
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: env
	$(BIN)/mypy

unit: env $(AXE)
	$(BIN)/pytest

test: lint types unit

bench: env
	$(BIN)/python benchmarks/run_all.py

# Mutation testing of the pure rules (about 10 minutes; not part of `make test`): mutmut,
# the fast tests of each module, docs/mutation.md; fails on a mutant that survives
# outside tests/mutation_equivalent.txt.
mutation: env
	$(BIN)/python scripts/mutation.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var .mypy_cache .ruff_cache .pytest_cache
