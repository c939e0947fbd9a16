"""The command line, run as a process: migrate, export and import against a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dantoc_catalog.services.seed import package_data_dir
from tests.support.catalog.rows import BAD

pytestmark = pytest.mark.integration


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DANTOC_CATALOG_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "dantoc_catalog", *args], env=env, capture_output=True, timeout=120)


def test_export_import_and_rejection_from_the_command_line(sqlite_url: str, tmp_path: Path) -> None:
    # migrate creates and seeds the database.
    assert run(sqlite_url, "migrate").returncode == 0
    # export writes the catalogue file to standard output: the package's own file, byte for byte.
    exported = run(sqlite_url, "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == (package_data_dir() / "indicators.csv").read_bytes()
    # importing it back changes nothing.
    (tmp_path / "indicators.csv").write_bytes(exported.stdout)
    imported = run(sqlite_url, "import", str(tmp_path / "indicators.csv"))
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["changed"] == []
    # a bad file is refused with every problem, and exit status 1.
    (tmp_path / "bad.csv").write_bytes(BAD)
    rejected = run(sqlite_url, "import", str(tmp_path / "bad.csv"), "--dry-run")
    assert rejected.returncode == 1
    report = json.loads(rejected.stderr[rejected.stderr.index(b'{\n  "title"') :])
    assert len(report["errors"]) == 11
    # the units file too.
    units = run(sqlite_url, "export", "--units")
    assert units.stdout == (package_data_dir() / "admin_units.csv").read_bytes()
