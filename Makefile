# baotinh — every target sets up the virtual environment from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_OUT ?= datasets/demo

.PHONY: venv test lint crawl demo bench eval schema divisions lock clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# --no-deps: the lock is complete (uv resolved it, overrides applied); pip must not re-resolve.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Incremental crawl of every registered source into datasets/archive/ (needs the network).
crawl: venv
	$(BIN)/baotinh crawl --out datasets/archive --report datasets/archive/last-run.json

# The same crawl against the bundled fixture web on 127.0.0.1 (no network needed).
demo: venv
	$(BIN)/python -m tests.fixtureweb.demo --out $(DEMO_OUT)

bench: venv
	$(BIN)/python -m tests.bench
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
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
