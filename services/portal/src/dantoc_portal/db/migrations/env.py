"""Alembic environment: runs on the connection handed over by `dantoc_portal.db.migrate` (its lock held, its
transaction begun); batch mode on SQLite, whose tables are rebuilt to change a column."""

from __future__ import annotations

from alembic import context

from dantoc_portal.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m dantoc_portal migrate` (the URL comes from the settings)")
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
