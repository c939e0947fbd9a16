"""HTTP API of the catalog: one router per resource, problem documents for every error."""
