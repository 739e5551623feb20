# Two commands on a fresh machine: `make site` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check serve bench lint clean

site: $(STAMP)
	$(BIN)/evidence build

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/evidence check

serve: $(STAMP)
	$(BIN)/evidence serve

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Reinstall when the pins change. -c constraints.txt pins every transitive dependency.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site .site-* $(VENV) .pytest_cache
