# Two commands a new machine needs: `make demo` and `make test`. Both create .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench clean lock reliability

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m flows.demo

# Both cores (pytest-xdist): the whole suite, PostgreSQL and the slow tests included.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --durations=15

# The quick loop while editing (under a minute on 2 cores): SQLite only, on both cores, without
# the tests marked slow (Prefect flows, runs on a new account, whole provinces, Word files built
# cell by cell). `make test` runs everything, one test at a time.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/province_bench.py
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/load_bench.py

# RELIABILITY.md from the tests' own output: the hostile inbox, the short fuzz and the crash tests
# run with XXGK_RELIABILITY_OUT set, plus the long fuzz's results in bench/fuzz-results/ (written by
# `bench/fuzz.py --json-out`). Not part of `make test`.
reliability: $(STAMP)
	$(BIN)/python bench/reliability_report.py --run

# Re-pin after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) xxgk-data .pytest_cache
