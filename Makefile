# Safeboard: two commands do everything on a fresh machine.
#   make demo   start Safeboard with invented demo data on SQLite at http://127.0.0.1:8000
#   make test   run every test: unit and integration on SQLite and PostgreSQL, then the browser tests
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
STATIC := src/safeboard/static_build/safeboard/safeboard.css
DEMO_ENV := DJANGO_SETTINGS_MODULE=safeboard.config.settings.development SAFEBOARD_REQUIRE_2FA=false
WORKERS ?= 2

.PHONY: help demo test test-unit test-postgres test-browser lint bench static clean

help:
	@echo "make demo   start Safeboard with demo data on http://127.0.0.1:8000"
	@echo "make test   run every test (SQLite, PostgreSQL when available, browser)"
	@echo "make bench  run the performance benchmarks (not part of make test)"

$(STAMP_PY): pyproject.toml
	@PYTHON=$$(scripts/find-python.sh) && test -n "$$PYTHON" && \
	  { [ -x $(PY) ] || "$$PYTHON" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC): $(STAMP_NPM) scripts/build-static.mjs src/safeboard/core/static_src/safeboard.scss
	node scripts/build-static.mjs

static: $(STATIC)

demo: $(STAMP_PY) $(STATIC)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py createcachetable
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Starting the task worker and the web server (Ctrl+C stops both)..."
	@trap 'kill 0' INT TERM EXIT; \
	  $(DEMO_ENV) $(PY) manage.py db_worker --interval 2 & \
	  $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000 --noreload

lint: $(STAMP_PY)
	$(PY) -m ruff check .
	env -u DATABASE_URL PYTHONPATH=src $(PY) -m mypy

test: $(STAMP_PY) $(STATIC)
	scripts/ensure-system-packages.sh
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run --settings=safeboard.config.settings.test
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-browser

test-unit: $(STAMP_PY) $(STATIC)
	@echo "== Unit and integration tests on SQLite"
	env -u DATABASE_URL $(PYTEST) -m "not browser" -n $(WORKERS) -q

test-postgres: $(STAMP_PY) $(STATIC)
	@URL=$$(scripts/postgres-url.sh $(PY)) || exit 1; \
	if [ -z "$$URL" ]; then \
	  echo "== SKIPPED the PostgreSQL run: no PostgreSQL answers (DATABASE_URL, or 127.0.0.1:5432). Set CI=true to make this fail."; \
	else echo "== Unit and integration tests on PostgreSQL"; DATABASE_URL="$$URL" $(PYTEST) -m "not browser" -n $(WORKERS) -q; fi

test-browser: $(STAMP_PY) $(STATIC)
	@echo "== Browser tests (Playwright driving /usr/bin/chromium)"
	env -u DATABASE_URL $(PYTEST) -m browser -q

bench: $(STAMP_PY)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/concurrency.py

clean:
	rm -rf $(VENV) node_modules src/safeboard/static_build staticfiles var
