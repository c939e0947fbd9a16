"""The ingest database: tables, repository, unit of work and Alembic migrations."""
