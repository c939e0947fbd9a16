"""Alembic environment: runs on the connection handed over by `dantoc_aggregate.db.migrate` (async engine)."""

from __future__ import annotations

from alembic import context

from dantoc_aggregate.db.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m dantoc_aggregate migrate` (the URL comes from the settings)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
