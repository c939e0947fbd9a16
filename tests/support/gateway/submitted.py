"""Literal accepted submissions (the accepted-values topic), as ingest publishes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.values import CellChange, CellValue, ValuesAccepted
from tests.support.gateway.literal import COMPUTED


def accepted(agency: str, unit: str, period: str, submission_id: str, value: str = "1") -> ValuesAccepted:
    """An accepted submission of one cell of 0401 for the unit and period by the agency."""
    change = CellChange(
        indicator="0401", disaggregation=Disaggregation(), new=CellValue(value=Decimal(value)), revision=1
    )
    return ValuesAccepted(
        submission_id=submission_id,
        agency=agency,
        unit_code=unit,
        period=period,
        accepted_at=COMPUTED,
        changes=[change],
    )


def values_records(messages: list[ValuesAccepted]) -> list[tuple[str, bytes | None]]:
    """As ingest publishes them: key = unit code, the envelope's correlation id = the submission id."""
    return [
        (m.unit_code, encode(Envelope[Any](type=m.kind, producer="ingest", correlation_id=m.submission_id, payload=m)))
        for m in messages
    ]


SUBMITTED = [accepted("UBNDX-00715", "00715", "2024", "sub-00715-2024")]
"""What the literal agencies have submitted: Lũng Cú's people's committee for its own commune; SYT-02 nothing."""
