# Dramatis: two commands do all the set-up on a fresh machine.
#   make run    the whole product on the embedded default (demo world included)
#   make test   the same bootstrap, then lint and the whole test suite
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: help run test lint bench clean-var

help:
	@echo "make run    start Dramatis (embedded PostgreSQL+pgvector and Redis, web, worker, beat)"
	@echo "make test   lint and run the whole test suite on the same embedded servers"
	@echo "make bench  run the benchmarks under bench/ (table + bench/results/*.json)"

# The venv is rebuilt only when requirements.txt changes.
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

run: $(STAMP)
	$(BIN)/python -m config.launcher run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint
	$(BIN)/python -m config.launcher test $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m config.launcher exec -- $(BIN)/python bench/run.py $(BENCH_ARGS)

# Deletes the embedded database and Redis data (stop `make run` first).
clean-var:
	rm -rf var
