# Two commands on a fresh machine: `make site` and `make test`. Each sets up what it needs:
# the Python environment in .venv, and the system packages (scripts/setup-system says which
# and why; it installs only what is missing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (accessibility checks injected by the browser tests), from the npm registry.
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js
# Byte-identical builds: date the site by the last commit unless the caller says otherwise.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: site test check serve bench clean

# BUILD_FLAGS: e.g. --require-texts when publishing (.github/workflows/publish.yml).
site: $(STAMP)
	@scripts/setup-system site
	$(BIN)/evidence build $(BUILD_FLAGS)

test: $(STAMP)
	@scripts/setup-system test
	@$(MAKE) --no-print-directory $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/evidence check

serve: $(STAMP)
	$(BIN)/evidence serve

bench: $(STAMP)
	@scripts/setup-system test
	$(BIN)/python -m benchmarks.run

# Reinstall when the pins change. -c constraints.txt pins every transitive dependency.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

$(AXE):
	npm install --prefix $(VENV)/npm --no-save --no-audit --no-fund --loglevel=error axe-core@4.14.1

clean:
	rm -rf site .site-* $(VENV) .pytest_cache test-artifacts
