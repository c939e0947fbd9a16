"""HTTP submissions against the real broker and database: accept, reject with every problem, dry run, idempotent
resend, revisions and retraction, bulk, asynchronous receipt, and the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.values import ValuesAccepted
from tests.support.ingest.requests import body, val
from tests.support.ingest.serving import Ingest
from tests.support.kafka import read_topic

Headers = Callable[..., dict[str, str]]


async def test_accepted_submission_is_published_once_with_canonical_cells(ingest: Ingest, token: Headers) -> None:
    submission = body(
        "acc-1",
        val(value=1520),
        val(ethnic="06", code_list="GSO2008", sex="2", value="730"),
        val("0104", value=None, no_data=True, no_data_reason="Chưa điều tra"),
    )
    response = await ingest.client.post("/submissions", json=submission, headers=token())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["status"], answer["changed_count"], answer["unchanged_count"]) == ("accepted", 3, 0)
    assert [v["outcome"] for v in answer["values"]] == ["created"] * 3
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    payload: ValuesAccepted = event.payload
    assert (payload.submission_id, payload.unit_code, payload.period) == ("acc-1", "00715", "2024")
    hoa = payload.changes[1]
    assert hoa.disaggregation.key() == "GSO1979:04|2|_T|_T"
    assert hoa.original_ethnic_group is not None
    assert hoa.original_ethnic_group.key() == "GSO2008:06"
    assert payload.changes[2].new.no_data
    assert payload.changes[2].new.no_data_reason == "Chưa điều tra"
    published = await ingest.state("acc-1", token(), "published")
    assert published["published_at"] is not None


async def test_every_problem_at_once_with_place_and_both_languages(ingest: Ingest, token: Headers) -> None:
    submission = body(
        "bad-1",
        val("9999"),
        val(value="abc"),
        val(sex="3"),
        val("0107"),
        val(value=-5, sex="1"),
        val(ethnic="43"),
        val("0103", sex="1", ethnic="02", value=5),
        val(sex="2", value=1),
        val(sex="2", value=2),
        val("0104", value=None, no_data=True),
        val("1301"),
        period="2024",
    )
    response = await ingest.client.post("/submissions", json=submission, headers=token())
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    document = response.json()
    assert document["submission_id"] == "bad-1"
    assert document["type"].endswith("submission-rejected")
    found = [(e["code"], e["location"]["value_index"]) for e in document["errors"]]
    assert found == [
        ("unknown_indicator", 0),
        ("invalid_number", 1),
        ("unknown_code", 2),
        ("unit_level_not_allowed", 3),
        ("out_of_range", 4),
        ("unknown_ethnic_code", 5),
        ("disaggregation_not_allowed", 6),
        ("duplicate_cell", 8),
        ("no_data_reason_missing", 9),
        ("period_type_mismatch", 10),
    ]
    assert all(e["message_vi"] and e["message_en"] for e in document["errors"])
    [rejection] = await ingest.events(topics.SUBMISSIONS_REJECTED, 1)
    assert [p.code for p in rejection.payload.problems] == [code for code, _ in found]
    state = (await ingest.client.get("/submissions/bad-1", headers=token())).json()
    assert state["status"] == "rejected"
    assert len(state["problems"]) == len(found)


async def test_malformed_request_lists_every_field(ingest: Ingest, token: Headers) -> None:
    response = await ingest.client.post(
        "/submissions",
        headers=token(),
        json={
            "agency": "BDT-02",
            "unit_code": "00715",
            "period": "2024",
            "colour": "red",
            "values": [{"indicator": "0101", "value": {"x": 1}}, {"value": 3}],
        },
    )
    assert response.status_code == 422
    errors = {(e["code"], e["location"]["field"]) for e in response.json()["errors"]}
    assert ("missing_field", "submission_id") in errors
    assert ("unknown_field", "colour") in errors
    assert ("missing_field", "values[1].indicator") in errors
    assert any(code == "invalid_field" and field and field.startswith("values[0].value") for code, field in errors)


async def test_dry_run_reports_and_stores_nothing(ingest: Ingest, token: Headers) -> None:
    good = await ingest.client.post("/submissions?dry_run=true", json=body("dry-1", val()), headers=token())
    assert good.status_code == 200
    assert good.json()["dry_run"]
    assert good.json()["changed_count"] == 1
    bad = await ingest.client.post("/submissions?dry_run=true", json=body("dry-2", val("9999")), headers=token())
    assert bad.status_code == 422
    assert bad.json()["dry_run"] is True
    for submission_id in ("dry-1", "dry-2"):
        assert (await ingest.client.get(f"/submissions/{submission_id}", headers=token())).status_code == 404
    # a real submission afterwards is the first event of the topic: the dry runs published nothing
    await ingest.client.post("/submissions", json=body("real-1", val()), headers=token())
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.submission_id == "real-1"
    assert (await ingest.client.get("/cells?unit_code=00715&period=2024", headers=token())).json()[0]["revision"] == 1


async def test_same_id_twice_same_answer_and_one_event(ingest: Ingest, token: Headers) -> None:
    submission = body("idem-1", val(value=7), val(sex="1", value=3))
    first = await ingest.client.post("/submissions", json=submission, headers=token())
    second = await ingest.client.post("/submissions", json=submission, headers=token())
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    reused = await ingest.client.post("/submissions", json=body("idem-1", val(value=8)), headers=token())
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["code"] == "submission_id_conflict"
    await ingest.client.post("/submissions", json=body("idem-2", val("0104", value=1)), headers=token())
    events = await ingest.events(topics.VALUES_ACCEPTED, 2)  # the marker arrives after any duplicate would
    assert [e.payload.submission_id for e in events] == ["idem-1", "idem-2"]


async def test_revisions_unchanged_and_retraction(ingest: Ingest, token: Headers) -> None:
    # step 1: two cells reported for the first time
    await ingest.client.post("/submissions", json=body("rev-1", val(value=10), val(sex="1", value=6)), headers=token())
    # step 2: one cell the same (10.0 = 10), the other retracted to 'no data', a third new
    second = body(
        "rev-2",
        val(value="10.0"),
        val(sex="1", value=None, no_data=True, no_data_reason="Sai số liệu"),
        val(sex="2", value=4),
    )
    answer = (await ingest.client.post("/submissions", json=second, headers=token(sub="other"))).json()
    assert [(v["outcome"], v["revision"]) for v in answer["values"]] == [
        ("unchanged", 1),
        ("retracted", 2),
        ("created", 1),
    ]
    assert (answer["changed_count"], answer["unchanged_count"]) == (2, 1)
    first_event, second_event = await ingest.events(topics.VALUES_ACCEPTED, 2)
    assert len(first_event.payload.changes) == 2
    retracted, created = second_event.payload.changes  # the unchanged cell is not in the event
    assert retracted.previous is not None
    assert retracted.previous.value == 6
    assert retracted.new.no_data
    assert retracted.revision == 2
    assert created.previous is None
    assert created.revision == 1
    # step 3: the audit trail shows each version with who, when and from which submission
    history = await ingest.client.get(
        "/cells/history",
        params={"unit_code": "00715", "period": "2024", "indicator": "0101", "disaggregation_key": "_T|1|_T|_T"},
        headers=token(),
    )
    versions = history.json()
    assert [(v["revision"], v["outcome"], v["submission_id"]) for v in versions] == [
        (1, "created", "rev-1"),
        (2, "retracted", "rev-2"),
    ]
    assert versions[0]["submitted_by"] != versions[1]["submitted_by"]
    assert all(v["accepted_at"] for v in versions)


async def test_bulk_each_whole_or_nothing(ingest: Ingest, token: Headers) -> None:
    bulk = {"submissions": [body("b-1", val()), body("b-2", val(value="x")), body("b-3", val(sex="1"))]}
    response = await ingest.client.post("/submissions/bulk", json=bulk, headers=token())
    assert response.status_code == 422
    document = response.json()
    assert [r["status"] for r in document["results"]] == ["accepted", "rejected", "accepted"]
    [problem] = document["errors"]
    assert problem["location"]["submission_index"] == 1
    assert problem["code"] == "invalid_number"
    fine = await ingest.client.post(
        "/submissions/bulk", json={"submissions": [body("b-4", val("0104"))]}, headers=token()
    )
    assert fine.status_code == 200
    assert fine.json()["accepted"] == 1


async def test_respond_async_receives_then_decides(ingest: Ingest, token: Headers) -> None:
    headers = {**token(), "Prefer": "respond-async"}
    response = await ingest.client.post("/submissions", json=body("async-1", val(value=3)), headers=headers)
    assert response.status_code == 202
    assert response.json()["status"] == "received"
    assert response.headers["Location"] == "/submissions/async-1"
    state = await ingest.state("async-1", token(), "published")
    assert state["changed_count"] == 1


async def test_tokens_and_scope(ingest: Ingest, token: Headers) -> None:
    submission = body("auth-1", val())
    assert (await ingest.client.post("/submissions", json=submission)).status_code == 401
    bad = await ingest.client.post("/submissions", json=submission, headers={"Authorization": "Bearer abc"})
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["code"] == "not_authenticated"
    assert bad.headers["content-type"].startswith("application/problem+json")
    outside = await ingest.client.post("/submissions", json=submission, headers=token(agency="BDT-02", scope="04"))
    assert outside.status_code == 403
    assert outside.json()["errors"][0]["code"] == "outside_scope"
    other = await ingest.client.post("/submissions", json=submission, headers=token(agency="BDT-04", scope="04"))
    assert {e["code"] for e in other.json()["errors"]} == {"agency_mismatch", "outside_scope"}
    district = await ingest.client.post("/submissions", json=submission, headers=token(scope="026"))
    assert district.status_code == 200
    assert (
        await ingest.client.get("/submissions/auth-1", headers=token(agency="BDT-04", scope="04"))
    ).status_code == 403


async def test_health_ready_metrics(ingest: Ingest, token: Headers) -> None:
    assert (await ingest.client.get("/health")).json() == {"status": "ok"}
    ready = await ingest.client.get("/ready")
    assert ready.status_code == 200, ready.text
    await ingest.client.post("/submissions", json=body("m-1", val()), headers=token())
    text = (await ingest.client.get("/metrics")).text
    assert 'dantoc_ingest_submissions_total{channel="http",outcome="accepted"} 1.0' in text


async def test_unchanged_resubmission_produces_no_event(ingest: Ingest, token: Headers) -> None:
    await ingest.client.post("/submissions", json=body("u-1", val(value=5)), headers=token())
    again = await ingest.client.post("/submissions", json=body("u-2", val(value=5)), headers=token())
    assert again.json()["changed_count"] == 0
    assert again.json()["values"][0]["outcome"] == "unchanged"
    await ingest.client.post("/submissions", json=body("u-3", val(value=6)), headers=token())
    records = await read_topic(ingest.bootstrap, ingest.topic(topics.VALUES_ACCEPTED), until=lambda r: len(r) >= 2)
    envelopes = [Envelope[ValuesAccepted].model_validate_json(r.value) for r in records]
    assert [e.payload.submission_id for e in envelopes] == ["u-1", "u-3"]
