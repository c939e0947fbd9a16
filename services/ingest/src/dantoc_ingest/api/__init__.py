"""HTTP edge of ingest: one router per resource."""
