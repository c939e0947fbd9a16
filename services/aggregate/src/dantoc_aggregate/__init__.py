"""dantoc_aggregate."""
