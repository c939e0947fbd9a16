"""The gateway's request body limit: the shared middleware (`dantoc_contracts.body_limit`); its routes all read none."""

from dantoc_contracts.body_limit import DEFAULT_LIMIT, BodyLimit

__all__ = ["DEFAULT_LIMIT", "BodyLimit"]
