"""`python -m dantoc_gateway serve` (HTTP on port 8000) or `migrate` (upgrade the read model's schema)."""

from __future__ import annotations

import argparse
import asyncio
import os

import uvicorn

from dantoc_gateway.db.engine import make_engine
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.logs import configure_logging
from dantoc_gateway.settings import Settings


async def _migrate(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        await upgrade_head(engine)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dantoc_gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API and keep the read model up to date")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes (default DANTOC_GATEWAY_HTTP_WORKERS)"
    )
    commands.add_parser("migrate", help="upgrade the read-model database to the newest schema")
    args = parser.parse_args(argv)
    if getattr(args, "workers", None):
        os.environ["DANTOC_GATEWAY_HTTP_WORKERS"] = str(args.workers)  # the workers read their settings again
    settings = Settings()
    configure_logging(settings)
    asyncio.run(_migrate(settings))  # before any worker starts, so workers never race to migrate
    if args.command == "migrate":
        return 0
    uvicorn.run(
        "dantoc_gateway.app:app_from_environment",
        factory=True,
        workers=settings.http_workers,
        host=args.host or settings.http_host,
        port=args.port or settings.http_port,
        access_log=settings.access_log,
        log_config=None,  # uvicorn's loggers propagate to the root logger's JSON handler
        log_level=settings.log_level.lower(),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
