"""CSV: UTF-8 with a byte-order mark (Excel opens Vietnamese text correctly), one header row; formula-like text
neutralised (`formats.cells`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from dantoc_gateway.formats.cells import neutral_text
from dantoc_gateway.formats.table import Column


def render_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]], lang: str, *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    writer.writerows(["" if cell is None else neutral_text(cell) for cell in row] for row in rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
