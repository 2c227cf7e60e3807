# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& echo $$p && break; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install build serve lint format bench bench-extraction clean

run: build serve  ## create the environment, build the graph, serve on http://$(HOST):$(PORT)

test: install  ## create the environment, lint, run the whole suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(STAMP)

build: install
	$(BIN)/defence-kg build

serve: install
	$(BIN)/defence-kg serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

bench: install  ## loading benchmark: project vs raw pyoxigraph vs rdflib
	$(BIN)/python bench/bench_load.py

bench-extraction: install  ## extraction precision/recall against tests/gold and KB/s
	$(BIN)/python bench/bench_extraction.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info
