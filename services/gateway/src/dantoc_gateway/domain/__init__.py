"""Pure logic of the gateway: no I/O. Tested table-driven."""
