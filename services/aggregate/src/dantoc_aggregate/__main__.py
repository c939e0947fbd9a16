"""`python -m dantoc_aggregate serve | migrate | rebuild | verify`."""

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

    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,  # uvicorn's loggers go through the handler `configure_logging` installed
        log_level=settings.log_level.lower(),
    )
    return 0


def _migrate(settings: Settings) -> int:
    from dantoc_aggregate.app import ensure_sqlite_directory
    from dantoc_aggregate.db.migrate import upgrade_head

    ensure_sqlite_directory(settings.database_url)
    upgrade_head(settings.database_url)
    return 0


def _rebuild(settings: Settings, force: bool) -> int:
    from dantoc_aggregate.usecases.rebuild import rebuild

    applied = asyncio.run(rebuild(settings, force=force))
    log.info(
        "rebuilt from the accepted-values topic: %s cell changes applied",
        applied,
        extra={"event": "rebuild.finished", "count": applied},
    )
    print(f"rebuilt from the accepted-values topic: {applied} cell changes applied")
    return 0


def _verify(settings: Settings) -> int:
    from dantoc_aggregate.usecases.rebuild import verify

    differences = asyncio.run(verify(settings))
    for line in differences[:50]:
        print(line)
    print("identical to the SQL recomputation" if not differences else f"{len(differences)} differences")
    return 0 if not differences else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dantoc_aggregate", description="Aggregate service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the service (HTTP, catalog cache, accepted-values consumer)")
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    rebuild = commands.add_parser("rebuild", help="replay the accepted-values topic into fresh tables")
    rebuild.add_argument("--force", action="store_true", help="empty the tables first if they hold data")
    commands.add_parser("verify", help="compare the aggregates with a from-scratch SQL recomputation")
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
        case _:
            return _verify(settings)


if __name__ == "__main__":
    sys.exit(main())
