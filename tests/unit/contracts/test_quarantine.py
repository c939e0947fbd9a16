"""The quarantine rule: which failures are retried forever and which records are set aside."""

from __future__ import annotations

import base64
import decimal

import pytest

from dantoc_contracts.quarantine import (
    MAX_KEPT_VALUE_BYTES,
    Attempts,
    FailureKind,
    backoff_seconds,
    classify,
    dead_letter,
    error_class,
)


class OperationalError(Exception):  # the name SQLAlchemy's connection errors have
    pass


class KafkaConnectionError(Exception):
    pass


class DataError(Exception):
    pass


def _caused(outer: BaseException, inner: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OperationalError("server closed the connection"), FailureKind.TRANSIENT),
        (KafkaConnectionError("no broker"), FailureKind.TRANSIENT),
        (ConnectionRefusedError(), FailureKind.TRANSIENT),
        (TimeoutError(), FailureKind.TRANSIENT),
        (_caused(RuntimeError("wrapped"), OperationalError()), FailureKind.TRANSIENT),
        (decimal.Overflow(), FailureKind.POISON),
        (DataError("numeric field overflow"), FailureKind.POISON),
        (ValueError("bad"), FailureKind.POISON),
        (KeyError("x"), FailureKind.POISON),
    ],
)
def test_classify(error: BaseException, kind: FailureKind) -> None:
    assert classify(error) is kind


def test_attempts_are_counted_per_record_up_to_the_limit() -> None:
    attempts = Attempts(limit=2)
    assert attempts.failed("t", 0, 5) == 1
    assert not attempts.exhausted("t", 0, 5)
    assert attempts.failed("t", 0, 5) == 2
    assert attempts.exhausted("t", 0, 5)
    assert not attempts.exhausted("t", 1, 5)  # another partition
    attempts.forget("t", 0, 5)
    assert not attempts.exhausted("t", 0, 5)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n, base=1, cap=5) for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 5, 5]


def test_dead_letter_keeps_small_records_whole_and_cuts_large_ones() -> None:
    small = dead_letter(topic="t", partition=1, offset=2, key=b"k", value=b"v", reason="r", consumer="c")
    assert base64.b64decode(small.value_b64) == b"v"
    assert (small.value_truncated, small.value_bytes) == (False, 1)
    big = dead_letter(
        topic="t",
        partition=1,
        offset=2,
        key=None,
        value=b"x" * (MAX_KEPT_VALUE_BYTES + 10),
        reason="r" * 9999,
        consumer="c",
    )
    assert big.value_truncated
    assert len(base64.b64decode(big.value_b64)) == MAX_KEPT_VALUE_BYTES
    assert len(big.reason) == 2000


def test_error_class_names_no_data() -> None:
    assert error_class(decimal.Overflow("[<class 'decimal.Overflow'>] 1E+999999999")) == "decimal.Overflow"
