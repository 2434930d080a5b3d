# Two commands on a fresh machine:  make serve   and   make test
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: serve test lint bench clean

$(BIN)/unionsearch: pyproject.toml setup.py search/_native.c
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

# One pip call for the program and what its tests need: a fresh clone builds the package
# (its C module, in pip's isolated build environment) once, not once per call.
$(VENV)/.test-deps: pyproject.toml setup.py search/_native.c
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(BIN)/unionsearch $@

## Serve the archive on http://127.0.0.1:8000 (builds the sample index if there is none).
serve: $(BIN)/unionsearch
	$(BIN)/unionsearch serve --sample-if-empty

## Run the whole test suite (unit, CLI, HTTP, browser) on two processes, each test
## module whole on one of them (its module fixtures are built once), in the order
## tests/conftest.py gives (the longest modules first: none is left alone at the end).
## The sources are compiled to bytecode first: the tests start hundreds of `unionsearch`
## processes, and where PYTHONDONTWRITEBYTECODE is set each would compile every module.
TEST_PROCS ?= 2
test: $(VENV)/.test-deps
	$(BIN)/python -m compileall -q search indexer web bench tests >/dev/null
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n $(TEST_PROCS) --dist loadgroup \
		--no-loadscope-reorder

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .

bench: $(VENV)/.test-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench.run --sizes 20000

clean:
	rm -rf $(VENV) *.egg-info
