# Two commands matter: `make run` (the app with the demo province) and `make test` (everything).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HTTPS ?= 0
export XUNJIAN_INSTANCE ?= $(CURDIR)/var

.PHONY: run test lint test-db-postgres venv venv-test system-deps certs clean

# Two stamps: `make run` installs only what running needs; `make test` adds the test extras
# (after a `make run` too: its stamp is not the test one).
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	touch $@

venv: $(BIN)/.installed

venv-test: $(BIN)/.installed-test

# The demo: its users keep their published passwords (outside it they must change them).
run: export XUNJIAN_DEMO ?= 1
run: venv
	scripts/install_system_deps.sh run
	$(BIN)/xunjian db upgrade
	$(BIN)/xunjian seed --demo --if-empty
ifeq ($(HTTPS),1)
	$(MAKE) certs
	SECURE_COOKIES=1 $(BIN)/xunjian serve --host 0.0.0.0 --port $(PORT) --cert .certs/cert.pem --key .certs/key.pem
else
	$(BIN)/xunjian serve --host 127.0.0.1 --port $(PORT)
endif

certs:
	scripts/make_cert.sh .certs

system-deps:
	scripts/install_system_deps.sh

# The suite on every core (pytest-xdist; tests/parallel.py gives each worker its own databases
# and instance directory). A file's tests stay on one worker: its module-scoped servers start
# once. Three workers on CI's 2 cores (measured: the browser tests wait much of their time);
# at most 12 (tests/parallel.py REDIS_DATABASES). JOBS=0 runs it serially.
JOBS ?= 3
test: venv-test system-deps lint
	$(BIN)/pytest -n $(JOBS) --dist loadfile

lint: venv-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-db-postgres: venv-test
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n $(JOBS) --dist loadfile -m db

clean:
	rm -rf $(VENV) var .pytest_cache
