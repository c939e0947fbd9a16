"""Kafka adapters: the catalog follower, the accepted-values consumer loop, the aggregate-event publisher."""
