"""Run `dantoc_aggregate serve` under cProfile and write the profile when it stops (SIGTERM).

uvicorn re-raises the signal it caught after a graceful shutdown, which would kill the process before cProfile
writes its file: here the re-raise is dropped, so the profile is written and the process exits normally.
"""

from __future__ import annotations

import cProfile
import signal
import sys

from dantoc_aggregate.__main__ import main

if __name__ == "__main__":
    signal.raise_signal = lambda _signal: None
    profiler = cProfile.Profile()
    try:
        profiler.runcall(main, ["serve"])
    finally:
        profiler.dump_stats(sys.argv[1])
