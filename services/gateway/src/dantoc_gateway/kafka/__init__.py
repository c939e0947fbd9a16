"""Kafka adapters: the catalog and aggregates feeds, and the dead-letter producer."""
