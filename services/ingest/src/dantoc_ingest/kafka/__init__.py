"""Kafka adapters of ingest: the catalog follower, the submissions consumer and the outbox relay."""
