# The commands the README tells people to run. Everything installs what it needs first.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY_PATHS := $(wildcard contracts/src services/*/src services/*/tools tests bench deploy)

.PHONY: setup up down status test lint typecheck pytest schemas dashboards demo compose-up clean

setup:  ## install everything the system and its tests need (idempotent)
	bash deploy/setup.sh

up: setup  ## install, start Kafka, the database, the services and Prometheus; load catalog and demo data
	bash deploy/stack.sh up

down:  ## stop everything `make up` started
	bash deploy/stack.sh down

status:
	bash deploy/stack.sh status

test: setup lint typecheck pytest  ## every check and every test (starts its own Kafka and PostgreSQL)

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck:
	$(UV) run --frozen mypy $(PY_PATHS)

pytest:
	$(UV) run --frozen pytest $(PYTEST_ARGS)

schemas:  ## regenerate the committed JSON Schema files from the contracts
	$(UV) run --frozen python -m dantoc_contracts schemas

dashboards:  ## regenerate the Grafana dashboards JSON
	$(UV) run --frozen python deploy/grafana/build_dashboards.py

demo:  ## (re)load the demo dataset through the running ingest service
	$(UV) run --frozen python deploy/demo/load_demo.py

compose-up:  ## on a host with Docker: the whole stack from deploy/compose.yaml
	docker compose -f deploy/compose.yaml up -d --build

clean:
	bash deploy/stack.sh down || true
	bash deploy/postgres/postgres.sh reset || true
	rm -rf .local
