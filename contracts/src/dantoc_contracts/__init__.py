"""dantoc_contracts."""
