"""Before and after in the same run: the aggregate benchmark of two checkouts, alternated, on the same machine.

    uv run python bench/aggregate_compare.py --base e3e6b8e --scale 0.1 --rounds 2 [--backend postgres]

The base commit is checked out in a temporary git worktree with its own locked environment (`uv sync --frozen`);
each round runs that checkout's `bench/aggregate_bench.py` (which starts its own `dantoc_aggregate` process, the
public entry point) and then this checkout's, with the same arguments, against the same broker and PostgreSQL
(KAFKA_BOOTSTRAP_SERVERS, DANTOC_TEST_POSTGRES_URL). Prints each run's end-to-end rate and the median per side.
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
UV = [shutil.which("uv")] if shutil.which("uv") else [sys.executable, "-m", "uv"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare against (before)")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--backend", default="postgres", choices=["sqlite", "postgres"])
    parser.add_argument("--batch", type=int, default=1000)
    return parser.parse_args()


def run_bench(checkout: Path, args: argparse.Namespace) -> float:
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
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    found = RATE.search(done.stdout)
    if done.returncode or not found:
        tail = f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        raise SystemExit(f"benchmark in {checkout} failed ({done.returncode}):\n{tail}")
    return float(found.group(1).replace(",", ""))


def main(args: argparse.Namespace) -> None:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    base = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=REPO, capture_output=True, text=True)
    print(f"# aggregate before/after: base {base.stdout.strip()} vs this checkout {head.stdout.strip()}")
    print(f"{os.cpu_count()} cores; scale {args.scale}, {args.backend}, batch {args.batch}, {args.rounds} rounds")
    with tempfile.TemporaryDirectory(prefix="dantoc-bench-base-") as scratch:
        worktree = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.base], cwd=REPO, check=True)
        try:
            subprocess.run([*UV, "sync", "--all-packages", "--frozen", "--quiet"], cwd=worktree, check=True)
            rates: dict[str, list[float]] = {"before": [], "after": []}
            for round_number in range(1, args.rounds + 1):
                for side, checkout in (("before", worktree), ("after", REPO)):
                    rate = run_bench(checkout, args)
                    rates[side].append(rate)
                    print(f"round {round_number} {side}: {rate:,.0f} values/s", flush=True)
            before, after = statistics.median(rates["before"]), statistics.median(rates["after"])
            print(f"median before {before:,.0f} values/s, after {after:,.0f} values/s ({after / before:.2f}x)")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False)


if __name__ == "__main__":
    main(parse_args())
