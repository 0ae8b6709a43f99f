# Two commands on a fresh machine: `make up` runs the platform locally, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: up demo test check lint typecheck unit integration e2e chaos chaos-long bench token clean browser promtool mutation

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

up: $(STAMP)
	$(PY) -m deploy.local.stack $(ARGS)

demo: $(STAMP)
	$(PY) -m deploy.demo --home .local

# The console's tests drive Debian's chromium through Playwright (browsers cannot be downloaded here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# The alert rules are unit-tested by promtool (tests/unit/test_alert_rules.py), from Debian's prometheus.
promtool:
	@command -v promtool >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus >/dev/null)

# The chaos suite runs on its own: it drops the broker's connections and restarts the broker app.
test: check browser promtool
	$(PY) -m pytest -q -p no:cacheprovider --ignore=tests/fault
	$(PY) -m pytest -q -p no:cacheprovider tests/fault

chaos: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/fault

# The long chaos run (docs/chaos.md), not part of `make test`: 500 journeys, at least 50 faults, two
# replicas a service, and once the broker stopped for longer than the outbox relay's back-off. About
# 8 minutes; `CHAOS_SEED=<n> make chaos-long` re-runs a seed.
chaos-long: $(STAMP)
	CHAOS_JOURNEYS=500 CHAOS_CONCURRENCY=500 CHAOS_WINDOW_SECONDS=480 CHAOS_MIN_FAULTS=50 CHAOS_REPLICAS=2 CHAOS_BROKER_OUTAGE=1 \
		$(PY) -m pytest -q -p no:cacheprovider tests/fault

check: lint typecheck

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy shared services deploy bench tests

unit: $(STAMP) promtool
	$(PY) -m pytest -q tests/unit tests/handlers tests/property

integration: $(STAMP)
	$(PY) -m pytest -q tests/integration

# Mutation testing of the domains against their fast tests (docs/mutation.md); slow, so not in `make test`.
# SERVICE=<name> tries one service's mutants; a run stops after MUTATION_SECONDS,
# and ends with the score of each service and the mutants that escaped.
SERVICE ?=
MUTATION_SECONDS ?= 1800
MUTATION_JOBS ?= 2
# Each run starts from a fresh copy: mutmut's cached map of tests goes stale across merges.
mutation: $(STAMP)
	rm -rf mutants
	-timeout -s INT -k 30 $(MUTATION_SECONDS) $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) \
		"services.$(or $(SERVICE),*).domain.*"
	$(VENV)/bin/mutmut results --all true | $(PY) -m tests.mutation_score $(SERVICE)

bench: $(STAMP)
	$(PY) -m bench.messaging

token: $(STAMP)
	$(PY) -m deploy.local.token $(ARGS)

clean:
	rm -rf $(VENV) .local .mypy_cache .ruff_cache mutants
