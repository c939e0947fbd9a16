"""Events stay within their bounds: a rejection lists the first problems and the total count; a dead letter is
the contracts' (its bytes cut to fit)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dantoc_contracts.bounds import MAX_MESSAGE_BYTES, MAX_PROBLEMS_IN_EVENT
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.problems import Location
from dantoc_contracts.values import MessageDeadLettered, SubmissionRejected
from dantoc_ingest.domain.model import Draft, DraftValue
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.services.events import message_dead_lettered, submission_rejected

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("found", "listed"), [(1, 1), (MAX_PROBLEMS_IN_EVENT, MAX_PROBLEMS_IN_EVENT), (10_000, 100)])
def test_a_rejection_lists_the_first_problems_and_counts_them_all(found: int, listed: int) -> None:
    draft = Draft("s", "BDT-02", "00715", "2024", [DraftValue("0101")])
    problems = [problem("missing_value", Location(value_index=i, field=f"values[{i}].value")) for i in range(found)]
    row = submission_rejected(draft, problems, NOW)
    payload = Envelope[SubmissionRejected].model_validate_json(row.payload).payload
    assert (len(payload.problems), payload.problem_count) == (listed, found)
    assert payload.problems[0].location.value_index == 0
    assert len(row.payload) < MAX_MESSAGE_BYTES


def test_a_dead_letter_of_a_huge_record_fits() -> None:
    row = message_dead_lettered(
        topic="t",
        partition=0,
        offset=1,
        key=b"k",
        value=b"x" * (2 * MAX_MESSAGE_BYTES),
        reason="r",
        consumer="c",
        now=NOW,
    )
    payload = Envelope[MessageDeadLettered].model_validate_json(row.payload).payload
    assert payload.value_truncated
    assert payload.value_bytes == 2 * MAX_MESSAGE_BYTES
    assert len(row.payload) < MAX_MESSAGE_BYTES
