# Casefile: `make run` serves the case file on SQLite; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test install install-test browser-deps assets migrate test-sqlite test-postgres lint clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Casefile needs Python 3.11 ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test browser-deps

# The browser tests drive Debian's Chromium (no Playwright browser download) and inject
# axe-core from node_modules/ (pinned in package-lock.json). Installing Chromium needs root.
CHROMIUM := /usr/bin/chromium
browser-deps: $(CHROMIUM) node_modules/.package-lock.json

$(CHROMIUM):
	@[ "$$(id -u)" = "0" ] || { echo "The browser tests need Debian's chromium: run 'apt-get install chromium' as root."; exit 1; }
	@# Another apt run (an unattended upgrade, a second checkout installing) may hold apt's
	@# locks for a while: wait for them instead of failing. apt-get update does not wait by itself.
	for attempt in $$(seq 1 60); do DEBIAN_FRONTEND=noninteractive apt-get update -q && break; \
		[ $$attempt = 60 ] && exit 1; echo "apt is busy; retrying in 5 s"; sleep 5; done
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=300 chromium

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The visual pages' JavaScript (map, timeline chart, network) is bundled from frontend/ into
# static/js/dist/ and committed, so serving Casefile needs no Node.js. Rebuild after an edit.
assets: node_modules/.package-lock.json
	node frontend/build.mjs

# `make run` serves the case file for development on this machine: DEBUG on (the settings
# default to off), unless the environment says otherwise.
run migrate: export DEBUG := $(or $(DEBUG),1)

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py setup_roles
	$(PY) manage.py load_casefile --if-empty
	$(PY) manage.py ensure_local_admin
	@echo "Casefile is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Runs the suite on SQLite and, when a server answers at $(PG_URL), on PostgreSQL, side by
# side in four streams (scripts/run_tests.sh); then the browser tests (marker `browser`, about two minutes) alone, on SQLite:
# they check pages in Chromium, and the view tests cover the pages' queries on both databases.
# With REQUIRE_POSTGRES=1 (as in CI) a silent PostgreSQL is a failure, not a skip.
test: install-test
	$(VENV)/bin/lint-imports --no-cache
	PY=$(PY) PG_URL="$(PG_URL)" REQUIRE_POSTGRES="$(REQUIRE_POSTGRES)" bash scripts/run_tests.sh

lint: install-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache
