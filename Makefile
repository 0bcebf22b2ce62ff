# Two commands do all set-up: `make demo` and `make test`.
PY ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: env demo test lint types unit bench clean

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.4"

$(BIN)/jcm: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $(BIN)/jcm

env: $(BIN)/jcm

demo: env
	$(BIN)/jcm db upgrade
	$(BIN)/jcm demo load
	$(BIN)/jcm serve --host $(HOST) --port $(PORT)

lint: env
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: env
	$(BIN)/mypy

unit: env
	$(BIN)/pytest

test: lint types unit

bench: env
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(TOOLS) var .mypy_cache .ruff_cache .pytest_cache
