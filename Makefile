# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-reset test lint bench bench-scale bench-imports clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Set up, load the demo portfolio into ./demo.db (once), open the app on it.
demo: $(STAMP)
	@$(BIN)/python -m compileall -q portfolio  # bytecode, as an installed wheel has it
	@test -f demo.db || $(BIN)/portfolio --db demo.db demo
	$(BIN)/portfolio --db demo.db

demo-reset:
	rm -f demo.db demo.db-wal demo.db-shm

lint: $(STAMP)
	$(BIN)/ruff check portfolio tests bench
	$(BIN)/ruff format --check portfolio tests bench
	$(BIN)/mypy portfolio

# Set up and run everything CI runs: lint, types, migration drift, the test suite.
test: $(STAMP) lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/queries.py

# The app's start-up, screens and the CLI's lists at 1x and 10x (data kept in bench/.data).
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py

# A 20,000-row grants import: the checks, the write, and how long the write lock is held.
bench-imports: $(STAMP)
	$(BIN)/python bench/imports.py

clean:
	rm -rf $(VENV) build dist *.egg-info
