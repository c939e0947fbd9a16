"""Before and after in the same run: the aggregate benchmark of two checkouts, alternated, on the same machine.

    uv run python bench/aggregate_compare.py --base 3b9a525 --scale 0.2 --rounds 3 [--backend postgres]

The base commit is checked out in a temporary git worktree with its own locked environment (`uv sync --frozen`);
each round runs that checkout's `bench/aggregate_bench.py` (which starts its own `dantoc_aggregate` process, the
public entry point) and then this checkout's, with the same arguments, against the same broker and PostgreSQL
(KAFKA_BOOTSTRAP_SERVERS, DANTOC_TEST_POSTGRES_URL); the services get a generated token key. Prints each run's
end-to-end rate and its rate per CPU second of the service (less sensitive to other load), and the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RATE = re.compile(r"end to end ([\d,]+) values/s")
CPU = re.compile(r"\(([\d,]+) values per CPU second\)")
UV = [shutil.which("uv")] if shutil.which("uv") else [sys.executable, "-m", "uv"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare against (before)")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--backend", default="postgres", choices=["sqlite", "postgres"])
    parser.add_argument("--batch", type=int, default=1000)
    return parser.parse_args()


def public_key(directory: Path) -> Path:
    """A token public key for the services both sides start (their API is not called; the service needs one)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    path = directory / "jwt-public.pem"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    path.write_bytes(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def run_bench(checkout: Path, args: argparse.Namespace) -> tuple[float, float]:
    command = [
        *UV,
        "run",
        "--frozen",
        "python",
        "bench/aggregate_bench.py",
        "--scale",
        str(args.scale),
        "--backend",
        args.backend,
        "--batch",
        str(args.batch),
        "--corrections",
        "0",
    ]
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"DANTOC_JWT_PUBLIC_KEY_FILE": str(args.key)}
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    found, cpu = RATE.search(done.stdout), CPU.search(done.stdout)
    if done.returncode or not found or not cpu:
        tail = f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        raise SystemExit(f"benchmark in {checkout} failed ({done.returncode}):\n{tail}")
    return float(found.group(1).replace(",", "")), float(cpu.group(1).replace(",", ""))


def main(args: argparse.Namespace) -> None:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    base = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=REPO, capture_output=True, text=True)
    print(f"# aggregate before/after: base {base.stdout.strip()} vs this checkout {head.stdout.strip()}")
    print(f"{os.cpu_count()} cores; scale {args.scale}, {args.backend}, batch {args.batch}, {args.rounds} rounds")
    with tempfile.TemporaryDirectory(prefix="dantoc-bench-base-") as scratch:
        worktree = Path(scratch) / "base"
        args.key = public_key(Path(scratch))
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.base], cwd=REPO, check=True)
        try:
            subprocess.run([*UV, "sync", "--all-packages", "--frozen", "--quiet"], cwd=worktree, check=True)
            rates: dict[str, list[float]] = {"before": [], "after": []}
            cpus: dict[str, list[float]] = {"before": [], "after": []}
            for round_number in range(1, args.rounds + 1):
                for side, checkout in (("before", worktree), ("after", REPO)):
                    rate, cpu = run_bench(checkout, args)
                    rates[side].append(rate)
                    cpus[side].append(cpu)
                    print(
                        f"round {round_number} {side}: {rate:,.0f} values/s end to end, {cpu:,.0f} values per service "
                        "CPU second",
                        flush=True,
                    )
            for name, found in (("end to end", rates), ("per service CPU second", cpus)):
                before, after = statistics.median(found["before"]), statistics.median(found["after"])
                print(f"median {name}: before {before:,.0f} values/s, after {after:,.0f} ({after / before:.2f}x)")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False)


if __name__ == "__main__":
    main(parse_args())
