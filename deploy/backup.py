"""Back up and restore every service's database (SQLite online backup, pg_dump / pg_restore for PostgreSQL).

    python deploy/backup.py backup [--dir DIR]              # default .local/backups/<UTC timestamp>/
    python deploy/backup.py restore DIR [--force] [--only SERVICE ...]
    python deploy/backup.py list                            # the backups under .local/backups

Each service's database URL is found as deploy/stack.sh sets it: `DANTOC_<SERVICE>_DATABASE_URL` when set, else
`DANTOC_DATABASE=sqlite` (default: `$DANTOC_STACK_DIR/<service>.db`) or `postgres` (`postgres.sh url <service>`).
SQLite uses sqlite3's online backup API, safe while the service runs; PostgreSQL uses `pg_dump -Fc` (consistent
snapshot). A backup directory holds one file per service and `manifest.json`. Restore refuses to write over a
service that is running (its pid file in `$DANTOC_STACK_DIR/run/`) unless `--force`; it recreates the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
SERVICES = ("catalog", "ingest", "aggregate", "gateway", "portal")


def stack_dir() -> Path:
    return Path(os.environ.get("DANTOC_STACK_DIR", REPO / ".local/stack"))


def backups_root() -> Path:
    return Path(os.environ.get("BACKUP_ROOT", REPO / ".local/backups"))


def database_url(service: str) -> str:
    """The service's database URL, as deploy/stack.sh configures it."""
    if url := os.environ.get(f"DANTOC_{service.upper()}_DATABASE_URL"):
        return url
    if os.environ.get("DANTOC_DATABASE", "sqlite") == "postgres":
        done = subprocess.run(
            ["bash", str(REPO / "deploy/postgres/postgres.sh"), "url", service],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
    return f"sqlite+aiosqlite:///{stack_dir() / service}.db"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite+aiosqlite:///path`), None for any other database."""
    if not url.startswith("sqlite"):
        return None
    return Path(url.split(":///", 1)[1].split("?", 1)[0])


def libpq_url(url: str, database: str | None = None) -> str:
    """A SQLAlchemy PostgreSQL URL as pg_dump/psql take it (no `+driver`; optionally another database)."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((scheme, parts.netloc, path, parts.query, parts.fragment))


def running(service: str) -> bool:
    pid_file = stack_dir() / "run" / f"{service}.pid"
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


def backup(target: Path, services: tuple[str, ...] = SERVICES) -> dict[str, dict[str, str]]:
    target.mkdir(parents=True, exist_ok=False)
    manifest: dict[str, dict[str, str]] = {}
    for service in services:
        url = database_url(service)
        if (path := sqlite_path(url)) is not None:
            if not path.exists():
                print(f"{service}: no database at {path}, skipped", file=sys.stderr)
                continue
            file = f"{service}.sqlite"
            source, copy = sqlite3.connect(path), sqlite3.connect(target / file)
            try:
                source.backup(copy)  # online: consistent while the service writes
            finally:
                copy.close()
                source.close()
            manifest[service] = {"kind": "sqlite", "file": file}
        else:
            file = f"{service}.dump"
            subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(target / file), libpq_url(url)], check=True)
            manifest[service] = {"kind": "postgres", "file": file}
        print(f"{service}: {manifest[service]['kind']} -> {target / file}")
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def restore(source: Path, *, force: bool = False, only: tuple[str, ...] = ()) -> list[str]:
    manifest: dict[str, dict[str, str]] = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    chosen = [s for s in manifest if not only or s in only]
    busy = [s for s in chosen if running(s)]
    if busy and not force:
        raise SystemExit(f"refusing to restore over running services {busy}: stop them (make down) or use --force")
    for service in chosen:
        entry, url = manifest[service], database_url(service)
        file = source / entry["file"]
        if entry["kind"] == "sqlite":
            path = sqlite_path(url)
            if path is None:
                raise SystemExit(f"{service}: the backup is SQLite but the service is configured for {url}")
            path.parent.mkdir(parents=True, exist_ok=True)
            staged = path.with_name(path.name + ".restoring")
            staged.unlink(missing_ok=True)
            shutil.copyfile(file, staged)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            staged.replace(path)
        else:
            if sqlite_path(url) is not None:
                raise SystemExit(f"{service}: the backup is PostgreSQL but the service is configured for {url}")
            name = urlsplit(url).path.lstrip("/")
            admin = libpq_url(url, "postgres")
            subprocess.run(
                [
                    "psql",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    admin,
                    "-c",
                    f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                ],
                check=True,
            )
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", f'CREATE DATABASE "{name}"'], check=True
            )
            subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", libpq_url(url), str(file)], check=True)
        print(f"{service}: restored from {file}")
    return chosen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="back up every service's database")
    make.add_argument("--dir", type=Path, default=None, help="default: .local/backups/<UTC timestamp>")
    back = commands.add_parser("restore", help="restore the databases from a backup directory")
    back.add_argument("dir", type=Path)
    back.add_argument("--force", action="store_true", help="restore even over a running service")
    back.add_argument("--only", nargs="*", default=(), help="only these services")
    commands.add_parser("list", help="the backups under .local/backups")
    args = parser.parse_args(argv)
    if args.command == "backup":
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = args.dir or backups_root() / stamp
        backup(target)
        print(target)
    elif args.command == "restore":
        source = args.dir if args.dir.is_dir() else backups_root() / args.dir
        restore(source, force=args.force, only=tuple(args.only))
    else:
        for entry in sorted(backups_root().glob("*/manifest.json")):
            print(entry.parent)


if __name__ == "__main__":
    main()
