"""Command line: `python -m dantoc_catalog serve | migrate | export | import | replay-parked`.

serve                               HTTP API on DANTOC_CATALOG_HTTP_HOST:DANTOC_CATALOG_HTTP_PORT (8001)
migrate                             upgrade the database to the latest schema and seed it when empty (serve and
                                    the other commands refuse a database not at the latest schema: exit 1)
export --format csv|xlsx [--header codes|vi] > FILE
import FILE [--dry-run]             all or nothing; the running service publishes the change (outbox)
replay-parked (--id N | --all)      publish parked records again (their key's current record); forget those sent;
                                    exit 1 when some are still refused

Every command logs to stderr (JSON lines; DANTOC_CATALOG_LOG_LEVEL, DANTOC_CATALOG_LOG_FORMAT=text for a terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from dantoc_catalog.db.engine import create_engine, session_factory
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.catalogue_file import FileFormat, HeaderStyle
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.logs import configure_logging
from dantoc_catalog.settings import Settings

log = logging.getLogger("dantoc_catalog")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dantoc_catalog", description="The catalog service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP API")
    commands.add_parser("migrate", help="upgrade the database and seed it when empty")
    export = commands.add_parser("export", help="write the catalogue file to standard output")
    export.add_argument("--format", choices=[f.value for f in FileFormat], default="csv")
    export.add_argument("--header", choices=[h.value for h in HeaderStyle], default="codes")
    export.add_argument("--units", action="store_true", help="the units file instead of the indicators")
    imported = commands.add_parser("import", help="import a catalogue file (CSV or XLSX)")
    imported.add_argument("file", type=Path)
    imported.add_argument("--dry-run", action="store_true")
    imported.add_argument("--units", action="store_true", help="the file holds units, not indicators")
    replay = commands.add_parser("replay-parked", help="publish parked records again after a fix")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the parked row's id")
    which.add_argument("--all", action="store_true", help="every parked row")
    return parser


async def _migrate(settings: Settings) -> int:
    """Upgrade to head (locked), then seed an empty database from the data files (one transaction)."""
    from sqlalchemy.engine import make_url

    from dantoc_catalog.db.migrate import head_revision, upgrade_head
    from dantoc_catalog.services.seed import package_data_dir, seed_if_empty

    await upgrade_head(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        await seed_if_empty(
            uow=UnitOfWorkFactory(session_factory(engine))(), directory=settings.data_dir or package_data_dir()
        )
    finally:
        await engine.dispose()
    url = make_url(settings.database_url).render_as_string(hide_password=True)
    print(f"migrated {url} to revision {head_revision()}")
    return 0


async def _at_head(settings: Settings) -> bool:
    """Whether the database is at the code's head revision; logs why not."""
    from dantoc_catalog.db.migrate import SchemaNotAtHead, require_head

    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)
    except SchemaNotAtHead as error:
        log.error("refusing to start: %s", error, extra={"event": "schema.not_at_head"})
        return False
    finally:
        await engine.dispose()
    return True


async def _with_database(settings: Settings, action: str, args: argparse.Namespace) -> int:
    if action == "migrate":
        return await _migrate(settings)
    if not await _at_head(settings):
        return 1
    engine = create_engine(settings.database_url)
    uow_factory = UnitOfWorkFactory(session_factory(engine))
    try:
        if action == "export":
            sys.stdout.buffer.write(await _export(uow_factory, args))
            return 0
        if action == "replay-parked":
            return await _replay(settings, uow_factory, args)
        try:
            report = await _import(uow_factory, args)
        except ProblemsFound as error:
            problems = [p.model_dump(mode="json") for p in error.problems]
            print(json.dumps({"title": error.title, "errors": problems}, ensure_ascii=False, indent=2), file=sys.stderr)
            return 1
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return 0
    finally:
        await engine.dispose()


async def _replay(settings: Settings, uow_factory: UnitOfWorkFactory, args: argparse.Namespace) -> int:
    from dantoc_catalog.kafka.relay import make_producer
    from dantoc_catalog.services.replay import replay_parked

    producer = make_producer(settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        report = await replay_parked(uow_factory, producer, record_id=None if args.all else args.id)
    finally:
        await producer.stop()
    print(json.dumps(asdict(report), indent=2))
    return 1 if report.still_failing else 0


async def _export(uow_factory: UnitOfWorkFactory, args: argparse.Namespace) -> bytes:
    from dantoc_catalog.services.catalogue import export_catalogue
    from dantoc_catalog.services.units import export_units

    if args.units:
        return await export_units(uow=uow_factory(), file_format=FileFormat(args.format))
    return await export_catalogue(
        uow=uow_factory(), file_format=FileFormat(args.format), header=HeaderStyle(args.header)
    )


async def _import(uow_factory: UnitOfWorkFactory, args: argparse.Namespace) -> dict[str, object]:
    from dantoc_catalog.services.catalogue import import_catalogue
    from dantoc_catalog.services.units import import_units

    data = args.file.read_bytes()
    if args.units:
        return asdict(await import_units(uow=uow_factory(), data=data, dry_run=args.dry_run))
    return asdict(await import_catalogue(uow=uow_factory(), data=data, dry_run=args.dry_run))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings)  # stderr; exports and reports go to stdout
    if args.command == "serve":
        import uvicorn

        from dantoc_catalog.app import create_app

        app = create_app(settings)  # first: a missing admin token is refused before the database is read
        if not asyncio.run(_at_head(settings)):
            return 1
        # log_config=None: uvicorn's loggers keep no handler of their own and reach the root's (JSON lines)
        level = settings.log_level.lower()
        uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None, log_level=level)
        return 0
    return asyncio.run(_with_database(settings, args.command, args))


if __name__ == "__main__":
    sys.exit(main())
