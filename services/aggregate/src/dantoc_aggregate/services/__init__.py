"""Use cases: apply a batch of accepted values, publish what changed, rebuild from the topic."""
