"""What is valid is checked at the edge, on both databases: exponent text, numbers out of the contracts' bounds,
non-canonical periods and over-long fields are a 422 naming the field, every problem of the submission at once,
and nothing reaches a column it does not fit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.ingest.serving import Ingest

Headers = Callable[..., dict[str, str]]


def body(*values: Any, period: str = "2024", submission_id: str = "edge-1") -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "agency": "BDT-02",
        "unit_code": "00715",
        "period": period,
        "values": values,
    }


async def test_every_problem_of_a_submission_at_once(ingest: Ingest, token: Headers) -> None:
    submission = body(
        {"indicator": "0101", "value": "1E+999999999"},
        {"indicator": "0101", "value": 10**18, "disaggregation": {"sex": "1"}},
        {"indicator": "0101", "value": "1e5", "disaggregation": {"sex": "2"}},
        {"indicator": "0104", "no_data": True, "no_data_reason": "x" * 501},
    )
    response = await ingest.client.post("/submissions", json=submission, headers=token())
    assert response.status_code == 422, response.text
    found = [(e["code"], e["location"]["field"]) for e in response.json()["errors"]]
    assert found == [
        ("exponent_not_allowed", "values[0].value"),
        ("value_out_of_bounds", "values[1].value"),
        ("exponent_not_allowed", "values[2].value"),
        ("text_too_long", "values[3].no_data_reason"),
    ]
    assert all(e["message_vi"] and e["message_en"] for e in response.json()["errors"])


async def test_periods_must_be_canonical(ingest: Ingest, token: Headers) -> None:
    for index, period in enumerate(("2024\n", "٢٠٢٤", " 2024")):
        response = await ingest.client.post(
            "/submissions",
            json=body({"indicator": "0101", "value": 1}, period=period, submission_id=f"p-{index}"),
            headers=token(),
        )
        assert response.status_code == 422, (period, response.text)
        assert [e["code"] for e in response.json()["errors"]] == ["malformed_period"]


async def test_over_long_fields_are_refused_before_any_column(ingest: Ingest, token: Headers) -> None:
    wide = body({"indicator": "0101", "value": "1" * 74})
    response = await ingest.client.post("/submissions", json=wide, headers=token())
    assert response.status_code == 422
    assert any("values" in str(e["location"]) for e in response.json()["errors"])
    long_id = {**body({"indicator": "0101", "value": 1}), "submission_id": "x" * 101}
    assert (await ingest.client.post("/submissions", json=long_id, headers=token())).status_code == 422
    # a token subject longer than the column is kept cut to it (the audit trail still names the holder)
    accepted = await ingest.client.post(
        "/submissions",
        json=body({"indicator": "0101", "value": 1}, submission_id="sub-1"),
        headers=token(sub="u" * 300),
    )
    assert accepted.status_code == 200, accepted.text
    history = await ingest.client.get("/cells/history?unit_code=00715&period=2024", headers=token())
    assert [v["submitted_by"] for v in history.json()] == ["u" * 200]
