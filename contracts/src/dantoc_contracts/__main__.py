"""`python -m dantoc_contracts schemas` regenerates the committed JSON Schema files."""

from __future__ import annotations

import sys

from dantoc_contracts.schemas import write_all
from dantoc_contracts.topics import ALL_TOPICS


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["schemas"]:
        for path in write_all():
            print(path)
        return 0
    if args == ["topics"]:
        for spec in ALL_TOPICS:
            print(f"{spec.name}\t{spec.partitions}\t{'compact' if spec.compacted else 'delete'}")
        return 0
    print("usage: python -m dantoc_contracts {schemas|topics}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
