"""`python -m dantoc_gateway serve` (HTTP on port 8000), `migrate` (upgrade the read model's schema), or
`replay-parked [--id N | --all]` (apply records set aside by the quarantine rule again, after a fix; those that now
apply leave the parked table).

Migrating is a step of its own: `serve` and `replay-parked` refuse a schema that is not at head (exit 1, an ERROR
line `schema.not_at_head` naming the database's revision, the code's head and the command to run)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os

import uvicorn

from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import SchemaNotAtHead, head_revision, require_head, upgrade_head
from dantoc_gateway.logs import configure_logging
from dantoc_gateway.services.replay import replay_parked
from dantoc_gateway.settings import Settings

log = logging.getLogger("dantoc_gateway")


def _migrate(settings: Settings) -> int:
    asyncio.run(upgrade_head(settings.database_url))
    print(f"migrated the read model to revision {head_revision()}")
    return 0


async def _at_head(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)
    finally:
        await engine.dispose()


async def _replay(settings: Settings, record_id: int | None) -> int:
    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)
        outcome = await replay_parked(session_factory(engine), settings, record_id)
    finally:
        await engine.dispose()
    print(json.dumps({"applied": outcome.applied, "still_failing": outcome.failing}))
    return 1 if outcome.failing else 0


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
    replay = commands.add_parser("replay-parked", help="apply parked records again; those that apply are unparked")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the parked record's id")
    which.add_argument("--all", action="store_true", help="every parked record, oldest first")
    args = parser.parse_args(argv)
    if getattr(args, "workers", None):
        os.environ["DANTOC_GATEWAY_HTTP_WORKERS"] = str(args.workers)  # the workers read their settings again
    settings = Settings()
    configure_logging(settings)
    if args.command == "migrate":
        return _migrate(settings)
    try:
        if args.command == "replay-parked":
            return asyncio.run(_replay(settings, None if args.all else args.id))
        asyncio.run(_at_head(settings))  # before any worker starts: each worker's lifespan checks again
    except SchemaNotAtHead as error:
        log.error("refusing to start: %s", error, extra={"event": "schema.not_at_head"})
        return 1
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
