# The README's two commands: `make demo` (the web app on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
# Set to a PostgreSQL server URL (e.g. postgresql://postgres@127.0.0.1:5432/luoshi) to run
# every database test a second time on PostgreSQL; .ci/run sets it.
LUOSHI_TEST_POSTGRES ?=

.PHONY: demo test lint venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: venv
	$(BIN)/luoshi migrate --noinput -v0
	$(BIN)/luoshi demo
	$(BIN)/luoshi collectstatic --noinput -v0
	@# the worker runs the background jobs (notifications, the daily scan) beside the web server
	$(BIN)/luoshi worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/luoshi serve --listen 127.0.0.1:$(PORT)

# axe-core (accessibility rules, from npm) for the whole-loop page test; skipped where npm is missing
AXE = var/node/node_modules/axe-core/axe.min.js

$(AXE):
	@# a failed install is said, not fatal: the test then skips, or fails in CI (CI=true), with the reason
	@if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund --prefix var/node axe-core@4 \
		|| echo "npm could not install axe-core: tests/web/test_whole_loop.py will say so"; \
	else echo "npm not found: the accessibility checks of tests/web/test_whole_loop.py will be skipped"; fi

test: venv $(AXE)
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$(LUOSHI_TEST_POSTGRES)" ]; then \
		echo "== database tests again on PostgreSQL ($(LUOSHI_TEST_POSTGRES))"; \
		DATABASE_URL="$(LUOSHI_TEST_POSTGRES)" $(BIN)/pytest -m database $(PYTEST_ARGS); \
	else \
		echo "PostgreSQL tests skipped: set LUOSHI_TEST_POSTGRES=postgresql://USER@HOST:PORT/DBNAME to run them"; \
	fi

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
