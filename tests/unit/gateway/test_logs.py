"""The gateway's logs: one JSON object per line with the fixed fields first, then the extras; Vietnamese kept as
Unicode; exceptions inside the object; uvicorn's loggers routed through the same handler."""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from dantoc_gateway.logs import UVICORN_LOGGERS, JsonLines, configure_logging, formatter, utc_time
from dantoc_gateway.settings import Settings

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
LUNG_CU = unicodedata.normalize("NFC", "Xã Lũng Cú")


def emit(
    log_formatter: logging.Formatter, level: int, message: str, *args: Any, exc_info: bool = False, **extra: Any
) -> str:
    """What the formatter writes for one call of a logger with `extra`."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(log_formatter)
    logger = logging.getLogger(f"dantoc_gateway.test.{uuid.uuid4().hex}")
    logger.propagate, logger.level = False, logging.DEBUG
    logger.addHandler(handler)
    logger.log(level, message, *args, exc_info=exc_info, extra=extra)
    return out.getvalue()


@pytest.mark.parametrize(
    ("message", "args", "extra", "expected"),
    [
        (
            "applied %d aggregate records",
            (3,),
            {"event": "aggregates.applied", "topic": "dantoc.aggregates.v1", "count": 3, "submission_ids": ["a", "b"]},
            {"message": "applied 3 aggregate records", "event": "aggregates.applied", "submission_ids": ["a", "b"]},
        ),
        (f"đơn vị {LUNG_CU}", (), {"unit_code": "00715"}, {"message": f"đơn vị {LUNG_CU}", "unit_code": "00715"}),
    ],
)
def test_a_record_is_one_json_line_with_its_extras(
    message: str, args: tuple[Any, ...], extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    line = emit(JsonLines(), logging.INFO, message, *args, **extra)
    assert line.count("\n") == 1
    found = json.loads(line)
    assert list(found)[:5] == ["time", "level", "service", "logger", "message"]
    assert TIME.match(found["time"])
    assert (found["level"], found["service"]) == ("INFO", "gateway")
    assert found["logger"].startswith("dantoc_gateway.test.")
    assert {**found, **expected} == found  # every expected field, as given
    assert not {"args", "msg", "levelno", "pathname"} & set(found)  # the record's own attributes stay out


def test_vietnamese_stays_readable_and_nfc() -> None:
    line = emit(JsonLines(), logging.INFO, LUNG_CU)
    assert LUNG_CU in line  # not \u-escaped
    assert json.loads(line)["message"] == unicodedata.normalize("NFC", LUNG_CU)


def test_an_exception_is_rendered_inside_the_object() -> None:
    try:
        raise ValueError("khóa không hợp lệ")
    except ValueError:
        line = emit(JsonLines(), logging.ERROR, "feed failed", exc_info=True, event="feed.failed")
    found = json.loads(line)
    assert found["event"] == "feed.failed"
    assert "ValueError: khóa không hợp lệ" in found["exc_info"]


def test_utc_time_has_milliseconds_and_z() -> None:
    assert utc_time(0.1234) == "1970-01-01T00:00:00.123Z"


def test_text_format_for_a_terminal() -> None:
    line = emit(formatter("text"), logging.WARNING, "xin chào")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d [\d:,]+ WARNING dantoc_gateway\.test\.[0-9a-f]+: xin chào\n", line)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    kept = {
        name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate) for name in UVICORN_LOGGERS
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, (old, propagate) in kept.items():
        logging.getLogger(name).handlers[:] = old
        logging.getLogger(name).propagate = propagate


def test_configure_logging_routes_uvicorn_through_one_json_handler(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("uvicorn.error").addHandler(logging.StreamHandler())  # as uvicorn's own config would
    configure_logging(Settings(log_level="debug"))
    root = logging.getLogger()
    assert len(root.handlers) == 1
    assert isinstance(root.handlers[0].formatter, JsonLines)
    assert root.level == logging.DEBUG
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    logging.getLogger("uvicorn.access").info("GET /v1/values 200")  # off unless access_log is set
    (line,) = capsys.readouterr().err.splitlines()
    assert json.loads(line)["logger"] == "uvicorn.error"
    assert json.loads(line)["message"] == "Application startup complete."
    configure_logging(Settings(access_log=True))
    logging.getLogger("uvicorn.access").info("GET /v1/values 200")
    (line,) = capsys.readouterr().err.splitlines()
    assert (json.loads(line)["logger"], json.loads(line)["level"]) == ("uvicorn.access", "INFO")
