"""`python -m dantoc_ingest {serve|migrate|keys|token}`.

serve                 run the HTTP service (and its Kafka consumers and relay)
migrate               apply the database migrations (serve, republish and replay-parked refuse a database
                      that is not at head)
keys                  create .local/keys/jwt-private.pem and jwt-public.pem when missing
token --role R --agency A --scope U [--days N] [--sub S] [--rights read,submit]   print a bearer token
republish [--since ISO-TIME]   publish values.accepted again from the stored cells (same keys and message ids as
                      the relay's: consumers drop what they have), to rebuild read models
replay-parked [--id N | --all]   apply again records the quarantine rule set aside (after a fix); those that now
                      apply leave the parked table, the others stay (exit status 1 when any still fails)

Every command logs to stderr (JSON lines; DANTOC_INGEST_LOG_LEVEL, DANTOC_INGEST_LOG_FORMAT=text for a terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from dantoc_contracts.access import Right, Role
from dantoc_ingest.logs import configure_logging
from dantoc_ingest.settings import DEFAULT_KEYS, Settings

log = logging.getLogger("dantoc_ingest")


def _serve(settings: Settings) -> int:
    import uvicorn

    from dantoc_ingest.app import create_app
    from dantoc_ingest.db.engine import create_engine
    from dantoc_ingest.db.migrate import SchemaNotAtHead, require_head

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
    app = create_app(settings)
    # log_config=None: uvicorn's loggers keep no handler of their own and reach the root's (JSON lines)
    uvicorn.run(
        app, host=settings.http_host, port=settings.http_port, log_config=None, log_level=settings.log_level.lower()
    )
    return 0


def _migrate(settings: Settings) -> int:
    from dantoc_ingest.db.migrate import head_revision, upgrade_head

    asyncio.run(upgrade_head(settings.database_url))
    print(f"migrated {settings.database_url} to revision {head_revision()}")
    return 0


def _keys(settings: Settings) -> int:
    from dantoc_ingest.auth.tokens import generate_keys

    private = settings.jwt_private_key_file
    public = settings.jwt_public_key_file or (private.parent / "jwt-public.pem")
    created = generate_keys(private, public)
    print(f"{'created' if created else 'kept existing'} {private} and {public}")
    return 0


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from dantoc_ingest.auth.tokens import key_id, mint_token

    path: Path = settings.jwt_private_key_file
    if not path.is_file():
        print(f"no private key at {path}: run `python -m dantoc_ingest keys` first", file=sys.stderr)
        return 1
    pem = path.read_bytes()
    print(
        mint_token(
            pem,
            kid=key_id(pem),
            role=Role(args.role),
            agency=args.agency,
            scope=args.scope,
            subject=args.sub,
            days=args.days,
            rights=[Right(r.strip()) for r in args.rights.split(",")] if args.rights else None,
        )
    )
    return 0


def _republish(settings: Settings, args: argparse.Namespace) -> int:
    from dantoc_ingest.db.engine import create_engine, create_reader
    from dantoc_ingest.db.migrate import require_head
    from dantoc_ingest.db.uow import UnitOfWorkFactory
    from dantoc_ingest.kafka.relay import create_producer
    from dantoc_ingest.services.republish import republish

    since = datetime.fromisoformat(args.since) if args.since else None
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)

    async def run() -> int:
        engine = create_engine(settings.database_url)
        uow = UnitOfWorkFactory(engine, create_reader(settings.database_url, engine))
        try:
            await require_head(engine)
        except BaseException:
            await uow.dispose()
            raise
        producer = create_producer(settings.kafka_bootstrap_servers)
        await producer.start()
        try:
            return await republish(uow, producer, namespace=settings.namespace, since=since)
        finally:
            await producer.stop()
            await uow.dispose()

    count = asyncio.run(run())
    print(f"republished {count} values.accepted event(s)")
    return 0


def _replay(settings: Settings, args: argparse.Namespace) -> int:
    from dantoc_ingest.db.engine import create_engine, create_reader
    from dantoc_ingest.db.migrate import require_head
    from dantoc_ingest.db.uow import UnitOfWorkFactory
    from dantoc_ingest.kafka.catalog_follower import CatalogFollower
    from dantoc_ingest.kafka.relay import create_producer
    from dantoc_ingest.metrics import IngestMetrics
    from dantoc_ingest.services.context import IngestContext
    from dantoc_ingest.services.replay import replay_parked

    async def run() -> int:
        engine = create_engine(settings.database_url)
        uow = UnitOfWorkFactory(engine, create_reader(settings.database_url, engine))
        try:
            await require_head(engine)
        except BaseException:
            await uow.dispose()
            raise
        metrics = IngestMetrics()
        catalog = CatalogFollower(settings.kafka_bootstrap_servers, settings.namespace, metrics)
        catalog.start()
        producer = create_producer(settings.kafka_bootstrap_servers)
        try:
            await catalog.wait_ready()  # submissions are decided against the whole catalog
            await producer.start()
            ctx = IngestContext(
                catalog=catalog, uow=uow, metrics=metrics, max_values=settings.max_values_per_submission
            )
            result = await replay_parked(ctx, producer=producer, parked_id=None if args.all else args.id)
        finally:
            await catalog.stop()
            await producer.stop()
            await uow.dispose()
        print(f"applied {result.applied}, still failing {result.failed}")
        for parked_id, error in result.still_parked:
            print(f"  parked {parked_id}: {error}")
        return 1 if result.failed else 0

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dantoc_ingest", description="The ingest service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP service with its Kafka consumers and relay")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("keys", help=f"create {DEFAULT_KEYS}/jwt-private.pem and jwt-public.pem if missing")
    token = commands.add_parser("token", help="print a bearer token signed with the private key")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--agency", required=True, help="agency code, e.g. BDT-02")
    token.add_argument("--scope", required=True, help="unit whose subtree the holder may write (VN = all)")
    token.add_argument("--days", type=float, default=30, help="validity in days (default 30)")
    token.add_argument("--sub", default=None, help="subject (user); default agency:role")
    token.add_argument("--rights", default=None, help="comma-separated: read, submit (default: both)")
    again = commands.add_parser("republish", help="publish values.accepted again from the stored cells")
    again.add_argument("--since", default=None, help="only submissions accepted at or after this ISO time (UTC)")
    replay = commands.add_parser("replay-parked", help="apply records set aside by the quarantine rule again")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the parked record's id")
    which.add_argument("--all", action="store_true", help="every parked record, oldest first")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings)  # stderr; what the commands print goes to stdout
    if args.command == "serve":
        return _serve(settings)
    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "keys":
        return _keys(settings)
    if args.command == "republish":
        return _republish(settings, args)
    if args.command == "replay-parked":
        return _replay(settings, args)
    return _token(settings, args)


if __name__ == "__main__":
    raise SystemExit(main())
