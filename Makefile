# Two commands on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint validate natural-earth chromium strace nginx deploy clean

run: $(VENV)/.installed
	@echo "Starting the Atlas on http://localhost:$(PORT) (another port: make run PORT=8600)"
	$(PY) -m atlas.ui.serve --server.port $(PORT)

test: $(VENV)/.installed-dev chromium strace nginx
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m atlas validate
	$(PY) -m pytest

# Three replicas on loopback behind nginx (sticky sessions, websockets, failover): deploy/run.sh, README "Deployment".
deploy: $(VENV)/.installed nginx
	PYTHON=$(PY) deploy/run.sh

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

validate: $(VENV)/.installed
	$(PY) -m atlas validate

# Opt-in and the only download: Natural Earth's populated places (public domain) for the suggestions of a new source,
# clipped to the region into $(DATA_DIR)/reference/populated_places.geojson (README "Curating"). The app never fetches.
NE_VERSION ?= v5.1.2
NE_URL ?= https://raw.githubusercontent.com/nvkelso/natural-earth-vector/$(NE_VERSION)/geojson/ne_10m_populated_places_simple.geojson
NE_FILE ?= .cache/ne_10m_populated_places_simple-$(NE_VERSION).geojson
DATA_DIR ?= data
natural-earth: $(VENV)/.installed
	@mkdir -p $(dir $(NE_FILE))
	@test -s $(NE_FILE) || { echo "Downloading $(NE_URL) …"; \
	  curl -fL --retry 2 --max-filesize 52428800 -o $(NE_FILE).part "$(NE_URL)" && mv $(NE_FILE).part $(NE_FILE); }
	$(PY) -m atlas gazetteer import $(NE_FILE) --data-dir $(DATA_DIR)

$(VENV)/bin/python:
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "python3-venv is missing: sudo apt-get install python3-venv"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	@echo "Installing the Atlas's packages into $(VENV) (about a minute the first time; each package is listed as it comes)…"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download is not used).
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Chromium is missing and you are not root: sudo apt-get install chromium (browser tests will fail in CI, skip locally)"; fi

# The offline test traces the server's connect() calls with Debian's strace.
strace:
	@if command -v strace >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace; \
	else echo "strace is missing and you are not root: sudo apt-get install strace (the offline test will fail in CI, skip locally)"; fi

# The deployment (deploy/run.sh) and its test put Debian's nginx in front of the replicas.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	else echo "nginx is missing and you are not root: sudo apt-get install nginx (the deployment test will fail in CI, skip locally)"; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
