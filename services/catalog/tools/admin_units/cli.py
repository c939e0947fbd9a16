"""Command line of ``build_admin_units.py``: locate the package, build, validate, write, print the report."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .build import build
from .model import DataError
from .output import write_outputs
from .source import find_package, package_root
from .validate import validate

DESCRIPTION = "Build the committed administrative-unit data files of ``dantoc_catalog``."
DEFAULT_OUT_DIR = Path(__file__).resolve().parents[2] / "src" / "dantoc_catalog" / "data"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=DESCRIPTION)
    ap.add_argument("--package-dir", type=Path, help="unpacked vietnamadminunits wheel (or the .whl file)")
    ap.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help=f"output directory (default {DEFAULT_OUT_DIR})"
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vau-") as tmp:
        data_dir, licence = find_package(package_root(args.package_dir, Path(tmp)))
        warnings: list[str] = []
        try:
            built = build(data_dir, warnings)
            report = validate(built)
        except DataError as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
        write_outputs(args.out_dir, built, licence)

    for w in sorted(set(warnings)):
        print("note:", w)
    for line in report:
        print(line)
    print(f"written to {args.out_dir}")
    return 0
