"""Use cases of the gateway: apply the feeds to the read model, answer queries."""
