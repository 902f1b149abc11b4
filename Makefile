# The daily commands, run from the project folder. `make` alone lists them.
# Each target is documented by the `## …` line above it (that is what `make help` prints).

PY ?= .venv/bin/python
SEED ?= seeds/party_building_conference_speech.txt
# where `make snapshot` writes (outside the project: it holds outputs of the shared corpus)
SNAP ?= /tmp/analysis-utils-snapshot-$(shell git rev-parse --short HEAD 2>/dev/null || echo latest)

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint snapshot bench

## list these commands
help:
	@awk '/^## /{doc=substr($$0, 4); next} /^[a-z][a-z-]*:/{if (doc) printf "  make %-10s %s\n", substr($$1, 1, length($$1) - 1), doc; doc=""}' $(MAKEFILE_LIST)

## create .venv and install the pinned requirements (the project itself editable)
install:
	python3 -m venv .venv
	$(PY) -m pip install -r requirements.txt

## run every notebook on the seed speech (SEED=path/to/speech or folder for another); results in figures/
run:
	$(PY) -m analysis_utils run $(SEED)

## every test, as CI runs them (notebooks and the pipeline included: a few minutes)
test:
	$(PY) -m pytest

## the quick local loop: every test not marked slow (about a minute)
test-fast:
	$(PY) -m pytest -m "not slow"

## ruff and mypy, as CI runs them
lint:
	$(PY) -m ruff check src tests
	$(PY) -m mypy

## keep every output of every command and notebook in SNAP (QUICK=--quick for a sample); BEFORE=dir compares with an earlier one
snapshot:
	$(PY) tests/e2e/snapshot.py take $(SNAP) $(QUICK)
	$(if $(BEFORE),$(PY) tests/e2e/snapshot.py compare $(BEFORE) $(SNAP))

## the corpus-scale benchmark (20 MB built from ../shared/corpus); writes benchmarks/RESULTS.md
bench:
	$(PY) benchmarks/run_benchmark.py
