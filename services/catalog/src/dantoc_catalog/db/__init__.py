"""The catalog's own database: tables, repositories, unit of work and Alembic migrations."""
