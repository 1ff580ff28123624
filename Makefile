# tinhgon — `make run` serves the app on the embedded SQLite database,
# `make test` runs the test suite. Both set everything up on a fresh machine.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup test-setup system-deps messages migrate load-data serve browser-test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# gettext compiles the Vietnamese/English catalogues.
system-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing gettext (msgfmt)…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null; }
	@{ ldconfig -p | grep -q libpango-1.0 && fc-list | grep -qi dejavu; } || { \
	  echo "Installing Pango and DejaVu fonts (PDF reports)…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) >/dev/null; }

messages: system-deps
	@cd src/tinhgon && ../../$(BIN)/tinhgon compilemessages -v 0

setup: $(VENV)/.installed messages

migrate: setup
	$(BIN)/tinhgon migrate --no-input -v 0

# import-vn-admin-units, load-demo, import-vn-2025-plan, generate-cadres (the list in
# src/tinhgon/core/run_state.py, which the page crawler test loads too).
load-data: migrate
	$(BIN)/tinhgon load-run-state
	$(BIN)/tinhgon ensure-admin --url http://$(HOST):$(PORT)/

serve:
	$(BIN)/tinhgon runserver $(HOST):$(PORT) --insecure

# The web server and the background-job worker together; Ctrl-C stops both.
run: load-data
	@echo "tinhgon is at http://$(HOST):$(PORT)/ (background jobs: the worker runs beside it)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/tinhgon worker & \
	  TINHGON_DEBUG=$${TINHGON_DEBUG:-0} $(BIN)/tinhgon runserver $(HOST):$(PORT) --insecure

test: $(VENV)/.installed-test messages
	$(BIN)/pytest -q

# Browser tests need Debian's chromium (installed when missing).
browser-test: $(VENV)/.installed-test messages
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }
	$(BIN)/pytest -q -m browser -p no:cacheprovider

bench: $(VENV)/.installed-test messages
	$(BIN)/python bench/run_all.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src bench

clean:
	rm -rf $(VENV) var .pytest_cache
