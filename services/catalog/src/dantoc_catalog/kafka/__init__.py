"""Kafka adapters: the catalog relay (producer, outbox and snapshot), record encoding, quarantine, metrics."""
