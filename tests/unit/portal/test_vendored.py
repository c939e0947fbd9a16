"""The portal's vendored front-end assets: each file is the one its README lists (sha256), with its licence beside it.

Read from the source tree (no import of the portal): the README's table is the record of what was vendored, from
which package and version, under which licence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
VENDOR = REPO / "services/portal/src/dantoc_portal/static/vendor"
COLUMNS = ["file", "package", "version", "licence", "licence file", "sha256"]
ASSETS = {"htmx.min.js", "uPlot.iife.min.js", "uPlot.min.css"}
LICENCE_TEXT = {"0BSD": "Zero-Clause BSD", "MIT": "MIT License"}
"""A phrase each licence's text contains, so that a licence file is the licence the table names."""


@dataclass(frozen=True)
class Vendored:
    file: str
    package: str
    version: str
    licence: str
    licence_file: str
    sha256: str


def cells(line: str) -> list[str]:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


def listed() -> list[Vendored]:
    """The rows of the README's table (the one whose header is COLUMNS)."""
    lines = (VENDOR / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|") and cells(line) == COLUMNS)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        file, package, version, licence, licence_file, sha256 = cells(line)
        package = package.split()[0].strip("`")
        rows.append(Vendored(file, package, version, licence, licence_file, sha256))
    return rows


ROWS = listed()


def test_the_table_lists_every_vendored_file_once() -> None:
    files = [row.file for row in ROWS]
    assert len(files) == len(set(files))
    on_disk = {p.name for p in VENDOR.iterdir() if p.is_file() and p.name != "README.md"}
    assert set(files) == on_disk
    assert set(files) >= ASSETS


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.file)
def test_the_file_is_the_one_listed(row: Vendored) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", row.sha256), row.sha256
    assert re.fullmatch(r"\d+\.\d+\.\d+", row.version), row.version
    assert hashlib.sha256((VENDOR / row.file).read_bytes()).hexdigest() == row.sha256


@pytest.mark.parametrize("row", [row for row in ROWS if row.file in ASSETS], ids=lambda row: row.file)
def test_each_asset_has_its_licence_beside_it(row: Vendored) -> None:
    licence = VENDOR / row.licence_file
    assert licence.is_file(), f"{row.file}: no {row.licence_file}"
    assert licence.name.endswith(".LICENSE")
    assert row.licence_file in {r.file for r in ROWS}, "the licence file is listed (and its sum checked) too"
    assert LICENCE_TEXT[row.licence] in licence.read_text(encoding="utf-8")
    same_package = {(r.package, r.version, r.licence) for r in ROWS if r.file == row.licence_file}
    assert same_package == {(row.package, row.version, row.licence)}


def test_htmx_is_on_the_2_line() -> None:
    assert {row.version.split(".")[0] for row in ROWS if row.package == "htmx.org"} == {"2"}
