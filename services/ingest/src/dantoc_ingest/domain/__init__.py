"""Pure domain logic of ingest: checking submissions against the catalog and planning cell revisions (no I/O)."""
