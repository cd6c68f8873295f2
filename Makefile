# Hearth: the two commands a newcomer needs are `make demo` and `make test`.
# Both set everything up: the virtualenv, Python packages, the USWDS assets from the
# npm registry, and the database (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := hearth/web/static/vendor/uswds/css/uswds.min.css
# The demo turns two-factor sign-in off so a newcomer can try every role with the printed
# password (docs/adr/0009-sign-in-and-two-factor.md); production requires it.
DEMO_ENV := DEBUG=1 HEARTH_2FA_ROLES= HEARTH_2FA_FOR_EVERYONE=0
# make test runs the suite on one process per CPU (pytest-xdist); each module's tests stay
# on one worker (a module's world and a class's seeded demo are built once). TEST_WORKERS=0
# runs it in one process.
TEST_WORKERS ?= auto

.PHONY: demo test fuzz test-browser bench lint format install assets migrate clean

# The steps before the server skip Django's system checks (importing every URL and API
# schema to check them costs seconds a step); runserver runs them once, before serving.
demo: install assets
	$(DEMO_ENV) $(PY) manage.py ensure_database --skip-checks
	$(DEMO_ENV) $(PY) manage.py migrate --noinput --skip-checks
	$(DEMO_ENV) $(PY) manage.py seed --scale demo --if-empty --skip-checks
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install assets
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

# Schemathesis over every API operation, as a program director and as a case manager
# (tests/api/test_fuzz.py; HEARTH_FUZZ_EXAMPLES examples per operation).
fuzz: install
	$(PY) -m pytest tests/api/test_fuzz.py -m fuzz

bench: install assets
	$(PY) bench/run.py

# ruff, then the import contracts of docs/adr/0008-one-shape.md (pyproject.toml).
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(INSTALLED)

assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf hearth/web/static/vendor/uswds
	mkdir -p hearth/web/static/vendor
	cp -r node_modules/@uswds/uswds/dist hearth/web/static/vendor/uswds
	touch $(ASSETS)

clean:
	rm -rf $(VENV) node_modules hearth/web/static/vendor staticfiles
