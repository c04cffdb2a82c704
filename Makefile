# `make site` and `make test` set up their own virtual environment from the
# pinned requirements on first use, so they work on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready

.PHONY: site serve test validate export benchmarks clean

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

test: $(READY)
	$(PY) -m pytest

benchmarks: $(READY)
	$(PY) -m benchmarks

clean:
	rm -rf site build $(VENV)
