"""Locating the pinned ``vietnamadminunits`` wheel: download it (pip or `uvx pip`), check its hash, unpack it."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .model import DataError

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unpack_wheel(wheel: Path, dest: Path) -> Path:
    digest = sha256(wheel)
    if wheel.name == WHEEL_NAME and digest != WHEEL_SHA256:
        raise DataError(f"{wheel}: sha256 {digest} != expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(dest)
    return dest


def _pip() -> list[str]:
    """This interpreter's pip, or (in a uv environment, which has none) pip run by `uvx`."""
    if importlib.util.find_spec("pip") is not None or shutil.which("uvx") is None:
        return [sys.executable, "-m", "pip"]
    return ["uvx", "pip"]


def download_wheel(dest: Path) -> Path:
    cmd = [
        *_pip(),
        "download",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--disable-pip-version-check",
        "-q",
        "-d",
        str(dest),
        f"{PACKAGE}=={VERSION}",
    ]
    print("running:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    wheel = dest / WHEEL_NAME
    if not wheel.is_file():
        raise DataError(f"pip did not produce {wheel}")
    return wheel


def package_root(package_dir: Path | None, tmp: Path) -> Path:
    """The directory to search for the package: ``--package-dir`` as given, or the unpacked (downloaded) wheel."""
    if package_dir is None:
        return unpack_wheel(download_wheel(tmp / "dl"), tmp / "pkg")
    if package_dir.is_file() and package_dir.suffix == ".whl":
        return unpack_wheel(package_dir, tmp / "pkg")
    return package_dir


def find_package(root: Path) -> tuple[Path, Path]:
    """Return (data dir, licence file) for an unpacked wheel / package dir."""
    candidates = [root / PACKAGE, root]
    pkg = next((c for c in candidates if (c / "data" / "dataset.db").is_file()), None)
    if pkg is None:
        raise DataError(f"{root}: no {PACKAGE}/data/dataset.db found")
    dist_info = pkg.parent / f"{PACKAGE}-{VERSION}.dist-info"
    for lic in (dist_info / "licenses" / "LICENSE", dist_info / "LICENSE"):
        if lic.is_file():
            meta = (dist_info / "METADATA").read_text(encoding="utf-8")
            if f"\nVersion: {VERSION}\n" not in meta:
                raise DataError(f"{dist_info}: METADATA is not version {VERSION}")
            return pkg / "data", lic
    raise DataError(f"no {PACKAGE}-{VERSION}.dist-info with a LICENSE next to {pkg}")
