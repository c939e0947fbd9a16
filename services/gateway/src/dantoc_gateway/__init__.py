"""The gateway: answers and exports for the national Committee and the provinces, from its own read model.

Run it with `python -m dantoc_gateway serve` (port 8000; `--workers N` for more processes); its topics, routes and
settings are listed in `dantoc_gateway.app` and `dantoc_gateway.settings`.
"""
