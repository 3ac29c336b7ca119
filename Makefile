# tipnet — two commands: `make run` (a demo node on SQLite) and `make test` (the whole suite).
# Only Python 3.11+ and make are assumed; uv is bootstrapped into .tools/ when it is absent.

PYTHON ?= python3
UV_SYSTEM := $(shell command -v uv 2>/dev/null)
UV ?= $(if $(UV_SYSTEM),$(UV_SYSTEM),.tools/bin/uv)
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
VENV_BIN := .venv/bin
# PostgreSQL for the second run of the suite; the test runner creates and drops its own database.
PG_URL ?= postgres://postgres@127.0.0.1:5432/tipnet

.PHONY: run test test-sqlite test-postgres system-packages lint sync sync-dev demo messages clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

# Installed packages are compiled to bytecode once: every `tipnet` process (the real-node tests
# start hundreds) then loads them compiled, even where PYTHONDONTWRITEBYTECODE is set.
sync: $(if $(UV_SYSTEM),,.tools/bin/uv)
	$(UV) sync --frozen --no-dev --inexact --compile-bytecode --python $(PYTHON)

# The test suite also checks the Spark backend, so pyspark comes with the dev environment only.
sync-dev: $(if $(UV_SYSTEM),,.tools/bin/uv)
	$(UV) sync --frozen --extra spark --compile-bytecode --python $(PYTHON)

run: demo
	$(VENV_BIN)/tipnet serve

demo: sync
	$(VENV_BIN)/tipnet migrate --no-input
	$(VENV_BIN)/tipnet createcachetable
	$(VENV_BIN)/tipnet demo

system-packages:
	@scripts/ensure-system-packages

# The SQLite and PostgreSQL passes run side by side, one per core, each with its own data folder
# (keys, field key, checkpoints), and each pass's output is printed whole when it ends.
test: sync-dev system-packages
	$(VENV_BIN)/python -m compileall -q -j 2 tipnet
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# The two passes share the machine's two cores, so each test runs where its database matters.
# The SQLite pass: the linkage engine, the type check, the tests marked `once` (their processes
# run on SQLite whatever the pass, or what they check does not depend on the database) and the
# browser tests (the default node runs on SQLite). The PostgreSQL pass: the real-node tests
# (`nodes`, each node on a PostgreSQL database of its own), browser steps among them included.
# Everything else runs in both.
test-sqlite:
	DATABASE_URL= TIPNET_DATA_DIR=$(CURDIR)/var/test-sqlite $(VENV_BIN)/pytest -m "not nodes"

test-postgres:
	DATABASE_URL=$(PG_URL) TIPNET_DATA_DIR=$(CURDIR)/var/test-postgres $(VENV_BIN)/pytest \
		-m "nodes or not (once or browser)" --ignore=tipnet/linkage --ignore=tests/test_types.py

lint: sync-dev
	$(VENV_BIN)/ruff format --check .
	$(VENV_BIN)/ruff check .

messages: sync-dev
	cd tipnet && ../$(VENV_BIN)/django-admin makemessages --settings=tipnet.settings --pythonpath=.. -l ru -l uz --no-obsolete --add-location=file

clean:
	rm -rf .venv .tools var/test-*
