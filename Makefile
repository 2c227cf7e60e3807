# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& echo $$p && break; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run neo4j-if-java test install assets build serve lint format bench bench-extraction bench-service bench-overlaps bench-views clean \
	browser fuzz bench-soak bench-writers

run: assets neo4j-if-java build serve  ## create the environment, build the graph, serve on http://$(HOST):$(PORT)

neo4j-if-java:  # the managed Neo4j behind /cypher needs Java and Maven; without them the rest still runs
	@if command -v java >/dev/null && command -v mvn >/dev/null; then $(MAKE) --no-print-directory neo4j-build; \
	else echo "no Java 17 + Maven: /cypher will answer 503 (everything else works)"; fi

NEO4J_LIB := neo4j/target/lib/.built
NEO4J_PORT ?= $(shell $(BIN)/python -c 'from urllib.parse import urlsplit; from defence_kg.settings import Settings; print(urlsplit(Settings().neo4j_uri).port or 7687)' 2>/dev/null || echo 7687)

test: install assets neo4j-build browser  ## create the environment, lint, run the whole suite (starts a real Neo4j)
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

# Browser assets come from the npm registry at install time, never from a CDN at run time.
YASGUI := api/static/vendor/yasgui/yasgui.min.js
assets: $(YASGUI)

$(YASGUI): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p api/static/vendor/yasgui
	cp frontend/node_modules/@zazuko/yasgui/build/yasgui.min.js \
	   frontend/node_modules/@zazuko/yasgui/build/yasgui.min.css api/static/vendor/yasgui/

build: install
	$(BIN)/defence-kg build

browser:  ## headless Chromium and chromedriver from Debian's packages (the page tests drive them)
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

fuzz: install  ## hypothesis over loaders and query parsers, schemathesis over the API, many more examples
	$(BIN)/python -m tests.fuzz $(FUZZ_ARGS)

bench-writers: install  ## rounds of 8 loads, a build and 4 uploads at once, with readers: nothing acknowledged is lost
	$(BIN)/python bench/bench_writers.py $(WRITERS_ARGS)

bench-soak: install assets  ## 50 clients mixing REST, SPARQL and pages for 5 minutes against a real server
	$(BIN)/python bench/bench_soak.py $(SOAK_ARGS)

serve: install
	$(BIN)/defence-kg serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

neo4j-build: $(NEO4J_LIB)  ## fetch Neo4j 5.26 Community from Maven Central (once, ~150 MB into ~/.m2)

$(NEO4J_LIB): neo4j/pom.xml | $(STAMP)
	$(BIN)/python -c 'from defence_kg.graph.store.neo4j_server import build; build()'

neo4j: install neo4j-build  ## a local Neo4j on the port of DEFENCE_KG_NEO4J_URI, data in var/neo4j
	$(BIN)/python -m defence_kg.graph.store.neo4j_server --port $(NEO4J_PORT) --home var/neo4j

.PHONY: notebooks  # also the name of a folder
notebooks: install neo4j-build  ## run every notebook (a temporary Neo4j) and save it with its outputs
	$(BIN)/pytest -q tests/test_notebooks.py -k executes_clean
	for nb in notebooks/*.ipynb; do cp tests/artifacts/$$(basename $$nb) $$nb; done

bench-neo4j: install neo4j-build  ## Neo4j sync benchmark: project vs rdflib-neo4j
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/bench_neo4j.py

bench: install  ## loading benchmark: project vs raw pyoxigraph vs rdflib
	$(BIN)/python bench/bench_load.py

bench-extraction: install  ## extraction precision/recall against tests/gold and KB/s
	$(BIN)/python bench/bench_extraction.py

bench-overlaps: install  ## all-pairs overlap: real graph, synthetic 2,500-10,000 initiatives vs naive pairs
	$(BIN)/python bench/bench_overlaps.py

bench-service: install assets  ## /sparql and REST under 32 clients vs rdflib-endpoint (needs wrk)
	$(BIN)/python bench/bench_service.py

bench-views: install browser  ## a 2,000-node membership view in headless Chromium: time to drawn, HTML size
	$(BIN)/python bench/bench_views.py

.PHONY: bench-pictures
bench-pictures: install browser  ## matrix 40 x 150 and a 100-bar timeline in headless Chromium: time to interactive
	$(BIN)/python bench/bench_pictures.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info frontend/node_modules api/static/vendor
