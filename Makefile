# CBEC Talent. Quick start: `make demo` (serve a sample college), `make test` (everything CI checks).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint contracts pytest bench install clean

$(STAMP): pyproject.toml setup.py cbec_talent/engines/demand/_acscan.c
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/cbec-talent demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	$(VENV)/bin/cbec-talent compile-translations > /dev/null
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

test: lint contracts pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
