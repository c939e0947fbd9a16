"""`python -m dantoc_aggregate serve | migrate | rebuild | verify | replay-parked`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from dantoc_aggregate.logs import configure_logging
from dantoc_aggregate.settings import Settings

log = logging.getLogger("dantoc_aggregate")


def _serve(settings: Settings) -> int:
    import uvicorn

    from dantoc_aggregate.app import create_app
    from dantoc_aggregate.db.engine import create_engine
    from dantoc_aggregate.db.migrate import SchemaNotAtHead, require_head

    async def check() -> None:
        engine = create_engine(settings.database_url)
        try:
            await require_head(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(check())
    except SchemaNotAtHead as error:
        log.error("refusing to start: %s", error, extra={"event": "schema.not_at_head"})
        return 1
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,  # uvicorn's loggers go through the handler `configure_logging` installed
        log_level=settings.log_level.lower(),
    )
    return 0


def _migrate(settings: Settings) -> int:
    from dantoc_aggregate.db.migrate import head_revision, upgrade_head

    asyncio.run(upgrade_head(settings.database_url))
    print(f"database at revision {head_revision()}")
    return 0


def _rebuild(settings: Settings, force: bool) -> int:
    from dantoc_aggregate.services.rebuild import rebuild

    applied = asyncio.run(rebuild(settings, force=force))
    log.info(
        "rebuilt from the accepted-values topic: %s cell changes applied",
        applied,
        extra={"event": "rebuild.finished", "count": applied},
    )
    print(f"rebuilt from the accepted-values topic: {applied} cell changes applied")
    return 0


def _verify(settings: Settings) -> int:
    from dantoc_aggregate.services.rebuild import verify

    differences = asyncio.run(verify(settings))
    for line in differences[:50]:
        print(line)
    print("identical to the SQL recomputation" if not differences else f"{len(differences)} differences")
    return 0 if not differences else 1


def _replay_parked(settings: Settings, record_id: int | None) -> int:
    from dantoc_aggregate.db.leader import WriterLockHeld
    from dantoc_aggregate.services.replay_parked import replay_parked

    try:
        report = asyncio.run(replay_parked(settings, record_id))
    except WriterLockHeld as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    for number in report.applied:
        print(f"parked record {number}: applied and removed")
    for number, failure in report.failing:
        print(f"parked record {number}: still fails ({failure}); kept")
    for number in report.not_records:
        print(f"parked record {number}: an event this service could not publish, not a record to apply; kept")
    log.info(
        "parked records replayed",
        extra={"event": "parked.replayed", "count": len(report.applied), "failing": len(report.failing)},
    )
    print(f"{len(report.applied)} applied, {len(report.failing)} still failing")
    return 0 if not report.failing else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dantoc_aggregate", description="Aggregate service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the service (HTTP, catalog cache, accepted-values consumer)")
    commands.add_parser(
        "migrate", help="upgrade the database to the latest schema (locked: safe from several processes)"
    )
    rebuild = commands.add_parser("rebuild", help="replay the accepted-values topic into fresh tables")
    rebuild.add_argument("--force", action="store_true", help="empty the tables first if they hold data")
    commands.add_parser("verify", help="compare the aggregates with a from-scratch SQL recomputation")
    replay = commands.add_parser(
        "replay-parked",
        help="apply parked records again after a fix (with the service stopped); those that apply are removed",
    )
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the parked record's id (see the parked_records table)")
    which.add_argument("--all", action="store_true", help="every parked record")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings)
    match args.command:
        case "serve":
            return _serve(settings)
        case "migrate":
            return _migrate(settings)
        case "rebuild":
            return _rebuild(settings, args.force)
        case "replay-parked":
            return _replay_parked(settings, None if args.all else args.id)
        case _:
            return _verify(settings)


if __name__ == "__main__":
    sys.exit(main())
