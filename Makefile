# `make run` and `make test` set up their own virtual environment on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The suite runs in this many processes (pytest-xdist); each has a database of its own.
TEST_PROCESSES ?= 2

.PHONY: run test lint serve migrate demo clean messages lock

# Installed from the lock: every package of the tree, pinned, with its hashes.
$(STAMP): requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

# After changing a pin in requirements.txt or requirements-dev.txt: the locks, from those pins
# (uv, itself pinned in requirements-dev.txt; the runtime lock is what the Dockerfile installs).
lock: $(STAMP)
	$(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --no-header -q \
		requirements.txt -o requirements.lock
	$(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --no-header -q \
		requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# axe-core, which the browser tests run on every page; without npm those tests are skipped.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm > /dev/null; then npm ci --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility tests will be skipped."; fi

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 (stop with Ctrl-C)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python -m devtools.import_circles

test: lint $(NODE_STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=portfolio.settings.test
	$(BIN)/pytest -n $(TEST_PROCESSES)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale es --locale fr --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .mypy_cache .ruff_cache .pytest_cache
