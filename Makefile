# `make site` and `make test` set up their own virtual environment from the
# pinned requirements on first use, so they work on a fresh clone.

PYTHON ?= python3
# Material for MkDocs prints a banner about MkDocs 2 on every build unless told not to.
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
CHROMIUM := /usr/bin/chromium
# npm ci writes this file last, so it is older than package-lock.json exactly when node_modules is missing or stale.
NODE_READY := node_modules/.package-lock.json

.PHONY: site serve test browser-tools validate export benchmarks clean

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

site: $(READY)
	$(PY) -m generator validate
	$(PY) -m mkdocs build --strict

serve: $(READY)
	$(PY) -m mkdocs serve

validate: $(READY)
	$(PY) -m generator validate

export: $(READY)
	$(PY) -m generator export --out site

# The browser tests (tests/browser) drive Debian's Chromium and inject axe-core from node_modules.
browser-tools: $(NODE_READY)
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "$(CHROMIUM) is missing: the browser tests need Debian's chromium package." >&2; \
			echo "Install it with 'sudo apt-get install chromium', or run only the other tests with" >&2; \
			echo "'$(PY) -m pytest -m \"not browser\"'." >&2; \
			exit 1; \
		fi; \
	fi

$(NODE_READY): package.json package-lock.json
	npm ci --no-audit --no-fund

test: $(READY) browser-tools
	$(PY) -m pytest

benchmarks: $(READY)
	$(PY) -m benchmarks

clean:
	rm -rf site build $(VENV) node_modules test-results
