"""Typed values out of text cells. Each bad cell adds one problem at its place; reading goes on regardless."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from dantoc_catalog.domain.problems import problem
from dantoc_contracts.bounds import LABEL_WIDTH
from dantoc_contracts.problems import Location, ProblemItem

Locate = Callable[[str], Location]
E = TypeVar("E", bound=StrEnum)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits only


class CellReader:
    """Reads one row's cells; `problems` collects every problem found."""

    def __init__(self, cells: Mapping[str, str], locate: Locate) -> None:
        self._cells = cells
        self._locate = locate
        self.problems: list[ProblemItem] = []
        self.bad_columns: set[str] = set()

    def fail(self, code: str, column: str, *, value: object = None, detail: str = "") -> None:
        self.bad_columns.add(column)
        self.problems.append(problem(code, self._locate(column), value=value, detail=detail))

    def text(self, column: str, *, required: bool = False) -> str:
        text = self._cells.get(column, "")
        if required and not text:
            self.fail("required", column)
        return text

    def label(self, column: str, *, required: bool = False) -> str:
        """A name or other line of text: at most the contracts' `LABEL_WIDTH` characters (the text itself is not
        repeated in the problem, only its length)."""
        text = self.text(column, required=required)
        if len(text) > LABEL_WIDTH:
            self.fail("text_too_long", column, value=len(text), detail=str(LABEL_WIDTH))
        return text

    def code(self, column: str, width: int, *, required: bool = False) -> str | None:
        text = self.text(column, required=required)
        if text and not (len(text) == width and text.isascii() and text.isdigit()):
            self.fail("invalid_code", column, value=text, detail=f"{width} chữ số / {width} digits")
            return None
        return text or None

    def choice(self, column: str, enum: type[E]) -> E | None:
        text = self.text(column, required=True)
        if not text:
            return None
        for member in enum:
            if member.value.casefold() == text.casefold():
                return member
        self.fail("invalid_choice", column, value=text, detail=", ".join(m.value for m in enum))
        return None

    def decimal(self, column: str) -> Decimal | None:
        """The decimal in the cell; None when empty or malformed (then the column is in `bad_columns`)."""
        text = self.text(column)
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.fail("invalid_number", column, value=text)
            return None
        return value

    def positive_int(self, column: str) -> int | None:
        text = self.text(column, required=True)
        if text and not (text.isascii() and text.isdigit() and int(text) >= 1):
            self.fail("invalid_integer", column, value=text)
            return None
        return int(text) if text else None

    def iso_date(self, column: str) -> date | None:
        text = self.text(column, required=True)
        if not text:
            return None
        try:
            if not _DATE.match(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.fail("invalid_date", column, value=text)
            return None
