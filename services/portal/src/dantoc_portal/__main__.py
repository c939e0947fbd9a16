"""Command line: `python -m dantoc_portal serve | migrate | create-admin | demo-accounts`.

serve                                 the portal on DANTOC_PORTAL_HTTP_HOST:DANTOC_PORTAL_HTTP_PORT (8004)
migrate                               upgrade the database to the latest schema (serve refuses one that is not)
create-admin USERNAME --name NAME     a national administrator with a temporary password (printed once; it must
                                      be changed at the first sign-in)
demo-accounts [--passwords FILE]      the demo accounts of `make up` (a commune official, a district reviewer, a
                                      provincial administrator, a national user and a national administrator);
                                      their passwords are kept in FILE (made when missing) and printed

Every command logs to stderr (JSON lines; DANTOC_PORTAL_LOG_LEVEL, DANTOC_PORTAL_LOG_FORMAT=text for a terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from dantoc_portal.logs import configure_logging
from dantoc_portal.settings import Settings

log = logging.getLogger("dantoc_portal")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dantoc_portal", description="The portal for officials.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the web application")
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    admin = commands.add_parser("create-admin", help="create a national administrator")
    admin.add_argument("username")
    admin.add_argument("--name", required=True, help="full name")
    demo = commands.add_parser("demo-accounts", help="create the demo accounts and print their passwords")
    demo.add_argument("--passwords", type=Path, default=Path(".local/stack/demo-accounts.json"))
    return parser


async def _at_head(settings: Settings) -> bool:
    from dantoc_portal.db.engine import create_engine
    from dantoc_portal.db.migrate import SchemaNotAtHead, require_head

    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)
    except SchemaNotAtHead as error:
        log.error("refusing to start: %s", error, extra={"event": "schema.not_at_head"})
        return False
    finally:
        await engine.dispose()
    return True


async def _seed(settings: Settings, args: argparse.Namespace) -> int:
    from dantoc_portal.auth.passwords import Passwords, temporary_password
    from dantoc_portal.db.engine import create_engine, session_factory
    from dantoc_portal.db.uow import UnitOfWork
    from dantoc_portal.domain.roles import PortalRole
    from dantoc_portal.services.bootstrap import DEMO, Seed, demo_password, ensure_accounts

    if not await _at_head(settings):
        return 1
    seeds: tuple[Seed, ...]
    if args.command == "create-admin":
        seeds = (Seed(args.username, args.name, PortalRole.NATIONAL_ADMIN, "VN", "BDTTG", "", temporary_password()),)
        must_change = True
    else:
        known = json.loads(args.passwords.read_text()) if args.passwords.is_file() else {}
        seeds = tuple(dataclasses.replace(s, password=known.get(s.username) or demo_password()) for s in DEMO)
        args.passwords.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(args.passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({s.username: s.password for s in seeds}, out, indent=2)
        must_change = False
    engine = create_engine(settings.database_url)
    try:
        done = await ensure_accounts(
            uow=UnitOfWork(session_factory(engine)), passwords=Passwords(), seeds=seeds, must_change=must_change,
            now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        await engine.dispose()
    for seed, created in done:
        state = "created" if created else "exists (unchanged)"
        print(f"{seed.username:<16} {seed.password:<18} {seed.role.value:<15} {seed.unit_code:<6} {state}")
    return 0 if done[0][1] or args.command == "demo-accounts" else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings)
    if args.command == "migrate":
        from sqlalchemy.engine import make_url

        from dantoc_portal.db.migrate import head_revision, upgrade_head

        asyncio.run(upgrade_head(settings.database_url))
        url = make_url(settings.database_url).render_as_string(hide_password=True)
        print(f"migrated {url} to revision {head_revision()}")
        return 0
    if args.command == "serve":
        import uvicorn

        from dantoc_portal.app import create_app

        app = create_app(settings)  # first: a missing signing key is refused before the database is read
        if not asyncio.run(_at_head(settings)):
            return 1
        level = settings.log_level.lower()
        uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None, log_level=level)
        return 0
    return asyncio.run(_seed(settings, args))


if __name__ == "__main__":
    sys.exit(main())
