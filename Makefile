# Two commands do all the set-up:  `make run` (start the server) and `make test` (run every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run classroom test setup browser nginx cluster lint format bench clean

run: setup
	$(PY) serve.py

# The same server, reachable from the room's network (students' phones and laptops).
classroom: setup
	HOST=0.0.0.0 $(PY) serve.py

test: setup browser nginx
	$(PY) -m pytest

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Headless Chromium for the browser tests, from Debian's packages (Playwright drives it).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

# nginx for the cluster test and `make cluster` (deploy/), from Debian's packages.
nginx:
	@command -v nginx >/dev/null 2>&1 || command -v /usr/sbin/nginx >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx; }

# N server processes on PostgreSQL + Redis behind nginx: make cluster N=2 DATABASE_URL=...
N ?= 2
cluster: setup nginx
	deploy/cluster.sh $(N)

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) bench/fanout.py

clean:
	rm -rf $(VENV) node_modules
