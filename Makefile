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

.PHONY: site test content check serve bench clean

# BUILD_FLAGS: e.g. --require-texts when publishing (.github/workflows/publish.yml).
site: $(STAMP)
	@scripts/setup-system site
	$(BIN)/evidence build $(BUILD_FLAGS)

# The generator's tests (tests/, on fixtures of their own: they never read the briefing below),
# the slowest named; then the content gate.
test: $(STAMP)
	@scripts/setup-system test
	@$(MAKE) --no-print-directory $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --durations=15
	@$(MAKE) --no-print-directory content

# The content gate: this repository's own briefing passes what a contributor runs (the check
# and the strict build: scripts/check-content), a contributor's new source that passes the
# check passes the gate, and the documents agree with the briefing (content-checks/).
content: $(STAMP)
	scripts/check-content
	$(BIN)/python -m pytest content-checks

check: $(STAMP)
	$(BIN)/evidence check

serve: $(STAMP)
	$(BIN)/evidence serve

bench: $(STAMP)
	@scripts/setup-system test
	$(BIN)/python -m benchmarks.run

# Reinstall when the pins change. -c constraints.txt pins every transitive dependency. Zensical is an
# optional extra (`evidence build --engine zensical`), installed here for the tests that build with it.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,zensical]'
	touch $(STAMP)

$(AXE):
	npm install --prefix $(VENV)/npm --no-save --no-audit --no-fund --loglevel=error axe-core@4.14.1

clean:
	rm -rf site .site-* $(VENV) .pytest_cache test-artifacts
