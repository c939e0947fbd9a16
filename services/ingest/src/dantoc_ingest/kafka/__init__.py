"""Kafka adapters of ingest: the catalog cache, the submissions consumer and the outbox relay."""
