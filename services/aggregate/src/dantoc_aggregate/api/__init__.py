"""HTTP edge: health, readiness, metrics and a read of the current aggregates."""
