# Quickstart: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test docs docs-serve lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[demo]"
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,docs]"
	touch $@

$(VENV)/.installed-docs: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python -m jaxlops demo

# The suite's report ends with its ten slowest tests and the time of each step: keep it under 8 minutes.
# Three workers on two cores: a worker waiting for a notebook kernel or a subprocess leaves its core to
# another (2700 tests: 349 s against 376-403 s with two workers).
test: $(VENV)/.installed-test
	@start=$$(date +%s); set -e; \
	$(BIN)/python -m ruff check jaxlops tests benchmarks notebooks docs; \
	$(BIN)/python -m pytest -n 3 --dist loadgroup --durations=10 tests; \
	suite=$$(date +%s); \
	$(BIN)/python -m pytest -p no:cacheprovider --doctest-modules jaxlops -q; \
	end=$$(date +%s); \
	echo "make test: lint and suite $$((suite - start)) s, doctests $$((end - suite)) s, total $$((end - start)) s"

# The site goes to site/; --strict makes warnings (broken links and references included) errors.
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict

docs-serve: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs serve

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/operators.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache site .cache/mkdocs-jupyter
