# Tradewind — every target bootstraps what it needs (virtualenv, node packages, browser).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/tradewind
# cdk.json runs `python -m infra.app`: the CDK CLI must find the venv's python first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help bootstrap frontend browser run demo test test-unit test-integration test-infra test-e2e chaos lint api-types synth layers bench deploy clean

help:
	@echo "make run    start the whole product locally (embedded AWS), prints where to open it"
	@echo "make test   lint + unit + integration + infra + e2e tests"
	@echo "make demo   optimize SMA cross on 10 sample symbols against make run's stack (starts one if none)"
	@echo "make lint | api-types | synth | layers | bench | clean"

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY)"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

bootstrap: $(STAMP) frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json
	@if [ -f frontend/package-lock.json ]; then cd frontend && npm ci --no-audit --no-fund --loglevel=error; \
	 else cd frontend && npm install --no-audit --no-fund --loglevel=error; fi
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html -type f 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# A real browser for the e2e tests (Debian's chromium; playwright's own download is not reachable).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

run: bootstrap frontend
	$(BIN)/python -m infra.local $(ARGS)

# Against a running `make run` (or a stack it starts on the same data directory and stops after).
demo: bootstrap frontend
	$(BIN)/python -m infra.demo $(ARGS)

lint: $(STAMP) frontend/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/tradewind/tradewind functions infra bench
	cd frontend && npm run lint

# The frontend's typed client: the API's OpenAPI document (frontend/openapi.json), then its types
# (frontend/src/api/schema.d.ts). Tests fail when either is stale; commit both.
api-types: $(STAMP) frontend/node_modules/.installed
	$(BIN)/python -m tradewind.api.export_openapi frontend/openapi.json
	cd frontend && npm run gen:api

test: bootstrap frontend browser lint
	cd frontend && npm test --silent
	$(BIN)/pytest tests

test-unit: $(STAMP)
	$(BIN)/pytest tests/unit
test-integration: $(STAMP)
	$(BIN)/pytest tests/integration
test-infra: $(STAMP)
	$(BIN)/pytest tests/infra
test-e2e: bootstrap frontend browser
	$(BIN)/pytest tests/e2e
# Fault injection and restart recovery on the real workflow (also in `make test`), with a table of outcomes.
chaos: $(STAMP)
	TW_CHAOS_REPORT=1 $(BIN)/pytest -q -s -p no:warnings tests/integration/test_faults.py tests/integration/test_job_recovery.py

# Offline synth of the local stage (what `make run` provisions); STAGE=dev needs `make layers frontend`.
synth: $(STAMP)
	TW_STAGE=$(or $(SYNTH_STAGE),local) $(BIN)/python -m infra.app

layers: $(STAMP)
	$(BIN)/python -m infra.build_layers --deps

bench: bootstrap frontend
	$(BIN)/python -m bench

# Deploy to AWS: STAGE=dev|prod, credentials from the usual AWS environment/profile. The stage's
# dependency TradewindAccount (the account's API Gateway logging role) is deployed first.
STAGE ?= dev
CDK_CLI := aws-cdk@2.1148.1
deploy: bootstrap frontend layers
	npx -y $(CDK_CLI) deploy -c stage=$(STAGE) --require-approval broadening Tradewind-$(STAGE)

clean:
	rm -rf cdk.out build .pytest_cache .mypy_cache .ruff_cache frontend/dist
