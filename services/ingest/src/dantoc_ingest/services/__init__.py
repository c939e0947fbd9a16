"""Use cases of ingest: decide submissions (HTTP, files, Kafka), answer queries, build templates."""
