# The portal's commands. `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
# python3.12 itself, wherever this machine keeps it (PATH, pyenv, /usr).
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	if $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then command -v $$p || echo $$p; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test migrate demo worker beat messages bench clean

$(BIN)/python:
	@test -n "$(PYTHON312)" || { echo "python3.12 est introuvable : installez Python 3.12."; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Virtual environment and the portal's dependencies.
install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# Dependencies of the test suite as well.
install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# First README command: the portal with its demo data on SQLite, tasks inline.
run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Second README command: the whole test suite.
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The figures at national scale (not part of `make test`; about 20 minutes): PostgreSQL and Redis on
# 127.0.0.1, databases traam_bench1 and traam_bench10 reset; writes BENCHMARKS.md. BENCH_ARGS=--reuse
# keeps databases already seeded, --quick gives rough figures fast.
bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m traam.bench $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A traam worker --loglevel=INFO

beat: install
	$(BIN)/celery -A traam beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 .test-media .test-private-media staticfiles

# The French catalogue (plural forms of the French source strings); needs GNU gettext.
messages: install
	$(BIN)/python manage.py french_catalogue
