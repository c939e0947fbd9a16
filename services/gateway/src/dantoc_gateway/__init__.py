"""dantoc_gateway."""
