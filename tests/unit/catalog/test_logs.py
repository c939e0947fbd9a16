"""The catalog's logs: one JSON object per line (time, level, service, logger, message, then the extras),
Vietnamese kept as it is, exceptions inside the object; uvicorn's loggers go through the same handler."""

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
from pydantic import ValidationError

from dantoc_catalog.logs import UVICORN_LOGGERS, ServiceJsonFormatter, ServiceTextFormatter, configure_logging
from dantoc_catalog.settings import Settings

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TUYEN_QUANG = unicodedata.normalize("NFC", "Tỉnh Tuyên Quang")


def emit(formatter: logging.Formatter, level: int, message: str, *args: Any, exc_info: Any = None, **extra: Any) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"dantoc_catalog.test.{uuid.uuid4().hex}")
    logger.propagate, logger.level = False, logging.DEBUG
    logger.addHandler(handler)
    logger.log(level, message, *args, exc_info=exc_info, extra=extra)
    return out.getvalue()


@pytest.mark.parametrize(
    ("level", "message", "args", "extra", "expected"),
    [
        (
            logging.INFO,
            "published the catalog",
            (),
            {"event": "catalog.published", "topic": "dantoc.catalog.v1", "count": 24391, "duration_ms": 612.5},
            {"level": "INFO", "event": "catalog.published", "count": 24391, "duration_ms": 612.5},
        ),
        (
            logging.WARNING,
            "retrying in %.1fs",
            (0.5,),
            {"event": "catalog.publish_failed", "retry_seconds": 0.5},
            {"level": "WARNING", "message": "retrying in 0.5s", "retry_seconds": 0.5},
        ),
        (
            logging.INFO,
            "đơn vị %s",
            (TUYEN_QUANG,),
            {"name_vi": TUYEN_QUANG},
            {"message": f"đơn vị {TUYEN_QUANG}", "name_vi": TUYEN_QUANG},
        ),
    ],
)
def test_a_record_is_one_json_line_with_its_extras(
    level: int, message: str, args: tuple[Any, ...], extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    line = emit(ServiceJsonFormatter(), level, message, *args, **extra)
    assert line.count("\n") == 1
    data = json.loads(line)
    assert list(data)[:5] == ["time", "level", "service", "logger", "message"]
    assert (data["service"], TIME.match(data["time"]) is not None) == ("catalog", True)
    assert {key: data[key] for key in expected} == expected


def test_vietnamese_stays_nfc_unicode_and_an_exception_is_inside_the_object() -> None:
    assert TUYEN_QUANG in emit(ServiceJsonFormatter(), logging.INFO, "x", name_vi=TUYEN_QUANG)
    try:
        raise KeyError("0101")
    except KeyError as error:
        line = emit(ServiceJsonFormatter(), logging.ERROR, "unexpected error", exc_info=error)
    [data] = [json.loads(text) for text in line.splitlines()]
    assert data["exc_info"].rstrip().endswith("KeyError: '0101'")


def test_text_format_appends_the_extras() -> None:
    line = emit(ServiceTextFormatter(), logging.INFO, "catalog import accepted", event="catalog.import_accepted")
    assert line.rstrip().endswith(": catalog import accepted event=catalog.import_accepted")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    uvicorn = {
        name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate) for name in UVICORN_LOGGERS
    }
    try:
        yield
    finally:
        root.handlers[:], root.level = saved
        for name, (handlers, propagate) in uvicorn.items():
            logging.getLogger(name).handlers[:], logging.getLogger(name).propagate = handlers, propagate
        logging.captureWarnings(False)


@pytest.mark.usefixtures("restore_logging")
def test_configure_logging_sends_uvicorn_through_the_one_json_handler(capsys: pytest.CaptureFixture[str]) -> None:
    logging.getLogger("uvicorn.error").addHandler(logging.StreamHandler())  # as uvicorn's own config would
    configure_logging(Settings(log_level="WARNING"))
    logging.getLogger("uvicorn.error").info("not shown: below the level")
    logging.getLogger("uvicorn.error").warning("Finished server process [%d]", 7)
    [line] = capsys.readouterr().err.splitlines()
    data = json.loads(line)
    assert (data["logger"], data["level"], data["message"]) == (
        "uvicorn.error",
        "WARNING",
        "Finished server process [7]",
    )


def test_log_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANTOC_CATALOG_LOG_LEVEL", "warning")
    monkeypatch.setenv("DANTOC_CATALOG_LOG_FORMAT", "TEXT")
    assert (Settings().log_level, Settings().log_format) == ("WARNING", "text")
    monkeypatch.setenv("DANTOC_CATALOG_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError):
        Settings()
