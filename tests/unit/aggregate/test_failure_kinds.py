"""Which failures of a batch set records aside (poison) and which are retried from the stored offsets."""

from __future__ import annotations

import asyncio
import decimal
import sqlite3

import pytest
from pydantic import ValidationError
from sqlalchemy import exc

from dantoc_aggregate.db.leader import LostWriterLock
from dantoc_aggregate.services.batches import is_poison
from dantoc_contracts.values import CellValue


def _validation_error() -> ValidationError:
    try:
        CellValue.model_validate({"value": "1E+999999999"})
    except ValidationError as error:
        return error
    raise AssertionError("the contract accepted 1E+999999999")


CASES = [
    ("constraint", exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("poison cell")), True),
    ("data error", exc.DataError("INSERT", {}, ValueError("numeric field overflow")), True),
    ("arithmetic overflow", decimal.Overflow(), True),
    ("invalid operation", decimal.InvalidOperation(), True),
    ("contract", _validation_error(), True),
    ("database unreachable", exc.OperationalError("SELECT 1", {}, ConnectionRefusedError()), False),
    ("database locked", exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")), False),
    ("connection closed", exc.InterfaceError("SELECT 1", {}, Exception("closed")), False),
    ("timeout", TimeoutError(), False),
    ("lost writer lock", LostWriterLock("superseded"), False),
    ("cancelled", asyncio.CancelledError(), False),
]


@pytest.mark.parametrize(("name", "error", "poison"), CASES, ids=[name for name, _, _ in CASES])
def test_failure_kinds(name: str, error: BaseException, poison: bool) -> None:
    assert is_poison(error) is poison, name
