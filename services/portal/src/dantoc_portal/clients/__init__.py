"""HTTP clients of the other services (catalog, ingest, gateway): the portal's only way to their data."""
