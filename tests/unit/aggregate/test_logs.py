"""Structured logs: one JSON object per line with the agreed fields; uvicorn goes through the same handler."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Iterator

import pytest

from dantoc_aggregate.logs import ServiceJsonFormatter, TextFormatter, configure_logging
from dantoc_aggregate.settings import Settings

NAME = unicodedata.normalize("NFC", "Xã Nậm Ty, huyện Sông Mã")


def record(message: str, *args: object, exc_info: bool = False, **extra: object) -> logging.LogRecord:
    made = logging.getLogger("dantoc_aggregate.values").makeRecord(
        "dantoc_aggregate.values", logging.INFO, __file__, 1, message, args, sys.exc_info() if exc_info else None
    )
    made.__dict__.update(extra)
    return made


def test_a_record_with_extras_is_one_json_line() -> None:
    line = ServiceJsonFormatter().format(
        record(
            "values applied for %s",
            NAME,
            event="values.applied",
            submission_id="3f2c",
            unit_code="00715",
            period="2024",
            count=12,
            topic="dantoc.values.accepted.v1",
            partition=3,
            offset=41,
        )
    )
    assert "\n" not in line
    document = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", document.pop("time"))
    assert document == {
        "level": "INFO",
        "logger": "dantoc_aggregate.values",
        "message": f"values applied for {NAME}",
        "service": "aggregate",
        "event": "values.applied",
        "submission_id": "3f2c",
        "unit_code": "00715",
        "period": "2024",
        "count": 12,
        "topic": "dantoc.values.accepted.v1",
        "partition": 3,
        "offset": 41,
    }
    assert NAME in line  # Vietnamese text stays readable (NFC, not \u-escaped)


def test_an_exception_is_rendered_inside_the_json() -> None:
    try:
        raise ValueError("hỏng")
    except ValueError:
        line = ServiceJsonFormatter().format(record("failed", exc_info=True, event="pipeline.failed"))
    document = json.loads(line)
    assert document["event"] == "pipeline.failed"
    assert "ValueError: hỏng" in document["exc_info"]


def test_text_format_shows_the_context_fields() -> None:
    line = TextFormatter().format(record("values applied", submission_id="3f2c", count=2))
    assert line.endswith("INFO dantoc_aggregate.values: values applied submission_id=3f2c count=2")


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    uvicorn = {name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate) for name in NAMES}
    yield
    root.handlers[:], root.level = saved
    for name, (handlers, propagate) in uvicorn.items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate


NAMES = ("uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.mark.usefixtures("restored_logging")
def test_configure_logging_sends_everything_through_one_json_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setenv("DANTOC_AGGREGATE_LOG_LEVEL", "warning")
    logging.getLogger("uvicorn.error").addHandler(logging.StreamHandler(io.StringIO()))  # as uvicorn would
    configure_logging(Settings())
    logging.getLogger("uvicorn.error").warning("Uvicorn running on %s", "http://127.0.0.1:8003")
    logging.getLogger("dantoc_aggregate.values").info("below the level: not written")
    logging.getLogger("dantoc_aggregate.values").warning("written", extra={"event": "x.y"})
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(d["logger"], d["level"], d["message"]) for d in lines] == [
        ("uvicorn.error", "WARNING", "Uvicorn running on http://127.0.0.1:8003"),
        ("dantoc_aggregate.values", "WARNING", "written"),
    ]
    assert all(d["service"] == "aggregate" for d in lines)


def test_log_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Settings().log_level, Settings().log_format) == ("INFO", "json")
    monkeypatch.setenv("DANTOC_AGGREGATE_LOG_LEVEL", "debug")
    monkeypatch.setenv("DANTOC_AGGREGATE_LOG_FORMAT", "text")
    assert (Settings().log_level, Settings().log_format) == ("DEBUG", "text")
    monkeypatch.setenv("DANTOC_AGGREGATE_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        Settings()
