# baotinh — every target sets up the virtual environment from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_OUT ?= datasets/demo
# The files great_expectations' Data Docs load from CDNs, installed from the npm registry so a
# release's Data Docs work offline (baotinh/release/datadocs.py copies them into each release).
ASSETS_SRC   := baotinh/release/assets
ASSETS_DIR   := .vendor/datadocs
ASSETS_STAMP := $(ASSETS_DIR)/.installed-$(shell cat $(ASSETS_SRC)/package.json $(ASSETS_SRC)/package-lock.json | cksum | cut -d' ' -f1)

.PHONY: venv scrapyd-venv assets chromium test lint crawl demo release-demo bench eval schema divisions lock clean

venv: $(STAMP)

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): $(ASSETS_SRC)/package.json $(ASSETS_SRC)/package-lock.json
	rm -rf $(ASSETS_DIR)
	mkdir -p $(ASSETS_DIR)
	cp $(ASSETS_SRC)/package.json $(ASSETS_SRC)/package-lock.json $(ASSETS_SRC)/.npmrc $(ASSETS_DIR)/
	cd $(ASSETS_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser test of a release's index.html (as root, as in CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' (the browser test skips)"; fi; }

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# --no-deps: the lock is complete (uv resolved it, overrides applied); pip must not re-resolve.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# scrapyd's own environment for tests/test_scrapyd.py (locked dependencies, no baotinh), cached
# under .venv/scrapyd-<hash of the lock>.
scrapyd-venv: venv
	$(BIN)/python -m tests.scrapyd_env

test: venv assets chromium scrapyd-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# Two workers, a test file each (module fixtures such as a shared crawl stay in one worker).
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Incremental crawl of every registered source into datasets/archive/ (needs the network).
crawl: venv
	$(BIN)/baotinh crawl --out datasets/archive --report datasets/archive/last-run.json

# The same crawl against the bundled fixture web on 127.0.0.1 (no network needed).
demo: venv
	$(BIN)/python -m tests.fixtureweb.demo --out $(DEMO_OUT)

# A release of the demo crawl (make demo first) into datasets/demo-releases/.
release-demo: venv assets
	$(BIN)/baotinh release $(DEMO_OUT) --version 1.0.0 --out datasets/demo-releases

bench: venv
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_parsers
	$(BIN)/python -m baotinh.evaluation

eval: venv
	$(BIN)/python -m baotinh.evaluation

schema: venv
	$(BIN)/python -m baotinh.generated

# Refresh the province table snapshot from the vietnam-provinces releases (downloads two wheels
# from PyPI), then the reference tables generated from it.
divisions: venv
	$(BIN)/python -m baotinh.registry.divisions
	$(BIN)/python -m baotinh.generated

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info .vendor
