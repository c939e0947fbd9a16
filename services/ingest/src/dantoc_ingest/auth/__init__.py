"""Adapters of token verification: where the verification keys come from."""
