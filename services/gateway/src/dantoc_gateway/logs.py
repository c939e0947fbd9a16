"""Structured logs: one JSON object per line on stderr (or plain text for a human at a terminal).

Every line carries `time` (UTC, milliseconds, `Z`), `level`, `service`, `logger` and `message`, then whatever the
call's `extra={...}` gives (`event`, `submission_ids`, `topic`, `count`, `duration_ms`, ...). Uvicorn's loggers
propagate to the root logger, so the server's own lines come out through the same handler.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from dantoc_gateway.settings import Settings

SERVICE = "gateway"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
_NOT_EXTRA = (*RESERVED_ATTRS, "color_message", "taskName")  # uvicorn's coloured copy; 3.12's task name


def utc_time(created: float) -> str:
    """`2025-07-01T08:00:00.123Z`: ISO 8601, UTC, milliseconds."""
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLines(JsonFormatter):
    """The fixed fields first, then the record's extras; text stays Unicode (Vietnamese is readable in the file)."""

    def __init__(self, service: str = SERVICE) -> None:
        super().__init__(json_ensure_ascii=False, reserved_attrs=list(_NOT_EXTRA))
        self.service = service

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        log_data["time"] = utc_time(record.created)
        log_data["level"] = record.levelname
        log_data["service"] = self.service
        log_data["logger"] = record.name
        super().add_fields(log_data, record, message_dict)  # message, then extras and exc_info


def formatter(log_format: str) -> logging.Formatter:
    return JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(settings: Settings) -> None:
    """Root logger → one stderr handler in the configured format and level; uvicorn's loggers go through it
    (its access log only with `access_log`: a line per request costs time at the rates the gateway serves)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(settings.log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in UVICORN_LOGGERS:
        found = logging.getLogger(name)
        found.handlers.clear()
        found.setLevel(logging.NOTSET)  # a level an earlier uvicorn.Config set would hide lines
        found.disabled = False
        found.propagate = name != "uvicorn.access" or settings.access_log  # one line per request only when asked
