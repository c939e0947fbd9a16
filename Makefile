# The commands the README tells people to run. Everything installs what it needs first.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY_PATHS := $(wildcard contracts/src services/*/src services/*/tools tests bench deploy)

.PHONY: setup up down status test test-unit test-integration lint typecheck pytest schemas dashboards demo compose-up clean backup restore backup-list

setup:  ## install everything the system and its tests need (idempotent)
	bash deploy/setup.sh

up: setup  ## install, start Kafka, the database, the services and Prometheus; load catalog and demo data
	bash deploy/stack.sh up

down:  ## stop everything `make up` started
	bash deploy/stack.sh down

status:
	bash deploy/stack.sh status

test: setup lint typecheck pytest  ## every check and every test (starts its own Kafka and PostgreSQL)

test-unit: setup  ## the pure tier: tests/unit and tests/fuzz, no broker, no database (seconds)
	$(UV) run --frozen pytest -m "not integration" tests/unit tests/fuzz $(PYTEST_ARGS)

test-integration: setup  ## tests/integration, tests/e2e and tests/browser, against the real Kafka and PostgreSQL they start
	$(UV) run --frozen pytest -m integration $(PYTEST_ARGS)

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

backup:  ## back up every service's database to .local/backups/<timestamp>/ (BACKUP_DIR= to choose); safe while running
	$(UV) run --frozen python deploy/backup.py backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

restore:  ## restore every service's database from BACKUP=<dir or name under .local/backups> (services stopped; FORCE=1 to override)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup dir>  (make backup-list shows them)"; exit 2; }
	$(UV) run --frozen python deploy/backup.py restore "$(BACKUP)" $(if $(FORCE),--force)

backup-list:  ## the backups under .local/backups
	$(UV) run --frozen python deploy/backup.py list

compose-up:  ## on a host with Docker: the whole stack from deploy/compose.yaml
	docker compose -f deploy/compose.yaml up -d --build

clean:
	bash deploy/stack.sh down || true
	bash deploy/postgres/postgres.sh reset || true
	rm -rf .local
