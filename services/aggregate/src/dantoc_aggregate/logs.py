"""Structured logs: one JSON object per line on stderr (or plain text for a human at a terminal).

Every line has `time` (ISO 8601 UTC, milliseconds, `Z`), `level`, `service`, `logger`, `message`, plus the fields a
call passes with `extra={...}` (`event`, `submission_id`, `topic`, `partition`, `offset`, `count`, ...). Uvicorn's
loggers come out through the same handler, so the whole log is JSON lines. Configured by `__main__` only.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from dantoc_aggregate.settings import Settings

SERVICE = "aggregate"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
NOT_FIELDS = (*RESERVED_ATTRS, "color_message")  # uvicorn's copy of the message with terminal colour codes


def utc_stamp(created: float) -> str:
    """`2024-11-27T07:50:15.480Z`: ISO 8601 in UTC with milliseconds."""
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ServiceJsonFormatter(JsonFormatter):
    """`time`, `level`, `service`, `logger`, `message`, then the record's extras; exceptions in `exc_info`."""

    def __init__(self, service: str = SERVICE) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            static_fields={"service": service},
            reserved_attrs=NOT_FIELDS,
            json_ensure_ascii=False,
        )

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        log_data["time"] = utc_stamp(record.created)
        super().add_fields(log_data, record, message_dict)


class TextFormatter(logging.Formatter):
    """For a human at a terminal: the usual line, then the context fields as `name=value`."""

    _RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
        "message",
        "asctime",
        "color_message",
    }

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(f"{k}={v}" for k, v in record.__dict__.items() if k not in self._RECORD_FIELDS)
        return f"{line} {extras}" if extras else line


def configure_logging(settings: Settings) -> None:
    """The root logger writes to stderr through one handler (JSON or text); uvicorn's loggers go through it too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ServiceJsonFormatter() if settings.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.setLevel(logging.NOTSET)  # a level an earlier uvicorn.Config set would hide lines
        uvicorn_logger.disabled = False
        uvicorn_logger.propagate = True
