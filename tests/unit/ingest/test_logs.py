"""Ingest's logs: one JSON object per line (time, level, service, logger, message, then the extras), Vietnamese
kept as it is, exceptions inside the object; `configure_logging` routes uvicorn's loggers through the same handler."""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from dantoc_ingest.logs import (
    UVICORN_LOGGERS,
    ServiceJsonFormatter,
    ServiceTextFormatter,
    configure_logging,
    utc_time,
)
from dantoc_ingest.settings import Settings

HEAD = ["time", "level", "service", "logger", "message"]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HANOI = unicodedata.normalize("NFC", "Thành phố Hà Nội")


def emit(formatter: logging.Formatter, level: int, message: str, *args: Any, **extra: Any) -> str:
    """What `formatter` writes for one call of a logger with `extra`."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"dantoc_ingest.test.{uuid.uuid4().hex}")
    logger.propagate, logger.level = False, logging.DEBUG
    logger.addHandler(handler)
    logger.log(level, message, *args, extra=extra)
    return out.getvalue()


@pytest.mark.parametrize(
    ("level", "message", "args", "extra", "expected"),
    [
        (
            logging.INFO,
            "submission accepted",
            (),
            {"event": "submission.accepted", "submission_id": "s-1", "count": 3, "partition": 0, "offset": 17},
            {
                "level": "INFO",
                "message": "submission accepted",
                "event": "submission.accepted",
                "submission_id": "s-1",
                "count": 3,
                "partition": 0,
                "offset": 17,
            },
        ),
        (
            logging.WARNING,
            "published %d of %d",
            (2, 3),
            {"event": "relay.failed"},
            {"level": "WARNING", "message": "published 2 of 3", "event": "relay.failed"},
        ),
        (
            logging.INFO,
            "đơn vị %s",
            (HANOI,),
            {"unit_name": HANOI},
            {"level": "INFO", "message": f"đơn vị {HANOI}", "unit_name": HANOI},
        ),
        (
            logging.DEBUG,
            "odd values",
            (),
            {"accepted_at": datetime(2025, 7, 1, 8, 30, tzinfo=UTC), "value": Decimal("1.50")},
            {"level": "DEBUG", "accepted_at": "2025-07-01T08:30:00+00:00", "value": "1.50"},
        ),
    ],
)
def test_a_record_is_one_json_line_with_its_extras(
    level: int, message: str, args: tuple[Any, ...], extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    line = emit(ServiceJsonFormatter(), level, message, *args, **extra)
    assert line.endswith("\n")
    assert line.count("\n") == 1
    data = json.loads(line)
    assert list(data)[:5] == HEAD
    assert data["service"] == "ingest"
    assert data["logger"].startswith("dantoc_ingest.test.")
    assert TIME.match(data["time"])
    assert {key: data[key] for key in expected} == expected
    assert "taskName" not in data
    assert "color_message" not in data


def test_vietnamese_is_written_as_it_is_and_stays_nfc() -> None:
    line = emit(ServiceJsonFormatter(), logging.INFO, "x", unit_name=HANOI)
    assert HANOI in line  # not \u-escaped
    assert unicodedata.is_normalized("NFC", json.loads(line)["unit_name"])


def test_an_exception_is_inside_the_object() -> None:
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        out = io.StringIO()
        handler = logging.StreamHandler(out)
        handler.setFormatter(ServiceJsonFormatter())
        logger = logging.getLogger(f"dantoc_ingest.test.{uuid.uuid4().hex}")
        logger.propagate = False
        logger.addHandler(handler)
        logger.exception("boom", extra={"event": "relay.failed"})
    [line] = out.getvalue().splitlines()
    data = json.loads(line)
    assert (data["level"], data["message"], data["event"]) == ("ERROR", "boom", "relay.failed")
    assert data["exc_info"].startswith("Traceback (most recent call last):")
    assert data["exc_info"].rstrip().endswith("ZeroDivisionError: division by zero")


@pytest.mark.parametrize(
    ("created", "msecs", "expected"),
    [
        (0.0, 0.0, "1970-01-01T00:00:00.000Z"),
        (1751358600.25, 250.0, "2025-07-01T08:30:00.250Z"),
        (1751358659.999, 999.0, "2025-07-01T08:30:59.999Z"),
    ],
)
def test_time_is_utc_with_milliseconds_and_z(created: float, msecs: float, expected: str) -> None:
    assert utc_time(logging.makeLogRecord({"created": created, "msecs": msecs})) == expected


def test_text_format_appends_the_extras() -> None:
    line = emit(ServiceTextFormatter(), logging.INFO, "submission accepted", event="submission.accepted", count=2)
    assert " INFO dantoc_ingest.test." in line
    assert line.rstrip().endswith(": submission accepted event=submission.accepted count=2")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put it back (pytest's own handlers included)."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    loggers = {
        name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate) for name in UVICORN_LOGGERS
    }
    try:
        yield
    finally:
        root.handlers[:], root.level = saved
        for name, (handlers, propagate) in loggers.items():
            logging.getLogger(name).handlers[:], logging.getLogger(name).propagate = handlers, propagate
        logging.captureWarnings(False)


@pytest.mark.usefixtures("restore_logging")
def test_configure_logging_sends_uvicorn_through_the_one_json_handler(capsys: pytest.CaptureFixture[str]) -> None:
    logging.getLogger("uvicorn.access").addHandler(logging.StreamHandler())  # as uvicorn's own config would
    configure_logging(Settings(log_level="DEBUG"))
    root = logging.getLogger()
    [handler] = root.handlers
    assert isinstance(handler.formatter, ServiceJsonFormatter)
    assert root.level == logging.DEBUG
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/ready", "1.1", 200)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(d["logger"], d["message"]) for d in lines] == [
        ("uvicorn.error", "Started server process [42]"),
        ("uvicorn.access", '127.0.0.1:5 - "GET /ready HTTP/1.1" 200'),
    ]


@pytest.mark.usefixtures("restore_logging")
def test_text_format_for_a_terminal() -> None:
    configure_logging(Settings(log_format="text"))
    [handler] = logging.getLogger().handlers
    assert isinstance(handler.formatter, ServiceTextFormatter)
    assert logging.getLogger().level == logging.INFO


def test_log_settings_come_from_the_environment_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANTOC_INGEST_LOG_LEVEL", "debug")
    monkeypatch.setenv("DANTOC_INGEST_LOG_FORMAT", "Text")
    assert (Settings().log_level, Settings().log_format) == ("DEBUG", "text")
    monkeypatch.setenv("DANTOC_INGEST_LOG_LEVEL", "chatty")
    with pytest.raises(ValidationError):
        Settings()
