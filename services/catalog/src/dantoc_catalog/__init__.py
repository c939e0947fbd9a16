"""dantoc_catalog."""
