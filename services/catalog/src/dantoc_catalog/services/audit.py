"""One log line per change asked of the catalog, from the API or the command line: an import accepted (or only
checked, dry run) with its counts, an import rejected with its number of problems, a new indicator version."""

from __future__ import annotations

import logging

log = logging.getLogger("dantoc_catalog.changes")


def import_accepted(kind: str, *, dry_run: bool, count: int, added: int, changed: int, removed: int) -> None:
    """`kind`: indicators or units; `count`: how many the catalog holds after it."""
    extra = {"kind": kind, "dry_run": dry_run, "count": count, "added": added, "changed": changed, "removed": removed}
    if dry_run:
        log.info("catalog import checked", extra={"event": "catalog.import_checked", **extra})
    else:
        log.info("catalog import accepted", extra={"event": "catalog.import_accepted", **extra})


def import_rejected(kind: str, *, dry_run: bool, problem_count: int) -> None:
    extra = {"event": "catalog.import_rejected", "kind": kind, "dry_run": dry_run, "problem_count": problem_count}
    log.info("catalog import rejected", extra=extra)


def version_added(code: str, version: int) -> None:
    log.info("indicator version added", extra={"event": "catalog.version_added", "indicator": code, "version": version})
