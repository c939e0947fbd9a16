"""Logs: one JSON object per line on stderr (uvicorn's and the libraries' too), or plain text for a terminal.

Every line has `time` (UTC, milliseconds, `Z`), `level`, `service`, `logger` and `message`, then the record's
extra fields (`event`, `topic`, `count`, `duration_ms`, ...), and `exc_info` when an
exception is logged. Configured by `python -m dantoc_portal` only, never at import.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from dantoc_portal.settings import Settings

SERVICE = "portal"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# record attributes that are not extra fields: the standard ones, 3.12's taskName and uvicorn's coloured copy
_NOT_EXTRA = frozenset([*RESERVED_ATTRS, "taskName", "color_message"])


def utc_time(record: logging.LogRecord) -> str:
    """ISO 8601 UTC with milliseconds: 2025-07-01T08:30:00.123Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class ServiceJsonFormatter(JsonFormatter):
    """time, level, service, logger, message, then the extras; non-ASCII text (Vietnamese) kept as it is."""

    def __init__(self, service: str = SERVICE) -> None:
        super().__init__(reserved_attrs=sorted(_NOT_EXTRA), json_ensure_ascii=False)
        self.service = service

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        log_data["time"] = utc_time(record)
        log_data["level"] = record.levelname
        log_data["service"] = self.service
        log_data["logger"] = record.name
        log_data["message"] = record.message
        super().add_fields(log_data, record, message_dict)


class ServiceTextFormatter(logging.Formatter):
    """`time level logger: message key=value ...` for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = " ".join(f"{k}={v}" for k, v in record.__dict__.items() if k not in _NOT_EXTRA and k[0] != "_")
        if not extras:
            return text
        head, newline, rest = text.partition("\n")  # keep a traceback below the line
        return f"{head} {extras}{newline}{rest}"


def formatter(log_format: str) -> logging.Formatter:
    return ServiceTextFormatter() if log_format == "text" else ServiceJsonFormatter()


def configure_logging(settings: Settings) -> None:
    """Root logger -> one stderr handler at `settings.log_level`; uvicorn's loggers propagate to it (run uvicorn
    with `log_config=None`), and warnings are logged, so the whole output has the one format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(settings.log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)  # a level an earlier uvicorn.Config set would hide lines
        logger.disabled = False
        logger.propagate = True
    logging.captureWarnings(True)
