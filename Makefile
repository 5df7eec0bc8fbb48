# Mesa TIC: `make run` sets up and serves; `make test` sets up and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := FLASK_APP=wsgi TICKETS_CONFIG=$${TICKETS_CONFIG:-development} $(BIN)/flask
DEMO ?= 1
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run serve setup demo test lint format jobs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(FLASK) db upgrade
	$(FLASK) catalogs load
	@if [ "$(DEMO)" != "0" ]; then $(FLASK) demo load --if-empty; fi
	$(FLASK) users ensure-admin

run: setup
	@echo "Mesa TIC en http://$(HOST):$(PORT)/ (Ctrl+C para detener)"
	@$(FLASK) jobs run & jobs=$$!; \
	trap 'kill -TERM $$jobs 2>/dev/null; wait $$jobs' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

jobs: setup
	$(FLASK) jobs run

demo: install
	$(FLASK) db upgrade
	$(FLASK) catalogs load
	$(FLASK) demo load

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache
