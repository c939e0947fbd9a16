"""dantoc_ingest."""
