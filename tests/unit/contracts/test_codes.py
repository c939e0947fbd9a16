from __future__ import annotations

import re
from typing import Annotated

import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from dantoc_contracts.codes import (
    INDICATOR_CODE_PATTERN,
    TWO_DIGIT_CODE_PATTERN,
    UNIT_CODE_PATTERN,
    EthnicCodeList,
    EthnicGroupRef,
    UnitCode,
    UnitLevel,
    nfc,
    unit_level_of,
)
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import ValuesAcceptedEnvelope, adapter, encode
from dantoc_contracts.periods import PERIOD_PATTERN
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.topics import ALL_TOPICS, VALUES_ACCEPTED, topic_name


@pytest.mark.parametrize(
    ("code", "level"),
    [("VN", UnitLevel.NATIONAL), ("02", UnitLevel.PROVINCE), ("026", UnitLevel.DISTRICT), ("00715", UnitLevel.COMMUNE)],
)
def test_unit_level_follows_the_code_length(code: str, level: UnitLevel) -> None:
    assert unit_level_of(code) == level
    assert TypeAdapter(UnitCode).validate_python(code) == code


@pytest.mark.parametrize("code", ["1", "0001", "abc", "VNM", "1234567"])
def test_malformed_unit_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="not an administrative unit code"):
        unit_level_of(code)
    with pytest.raises(ValidationError):
        TypeAdapter(UnitCode).validate_python(code)


@pytest.mark.parametrize(
    ("disaggregation", "key"),
    [
        (Disaggregation(), "_T|_T|_T|_T"),
        (Disaggregation(sex="2"), "_T|2|_T|_T"),
        (
            Disaggregation(ethnic_group=EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code="08"), sex="1"),
            "GSO1979:08|1|_T|_T",
        ),
    ],
)
def test_disaggregation_key(disaggregation: Disaggregation, key: str) -> None:
    assert disaggregation.key() == key


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Ha\u0300 Giang"  # 'à' as a + combining grave
    assert nfc(decomposed) == "Hà Giang"
    assert len(nfc(decomposed)) == len("Hà Giang")


def test_envelope_round_trips_exact_decimals() -> None:
    message = ValuesAcceptedEnvelope.model_validate(
        {
            "producer": "ingest",
            "payload": {
                "kind": "ValuesAccepted",
                "submission_id": "s1",
                "agency": "BDT",
                "unit_code": "00715",
                "period": "2024",
                "accepted_at": "2025-01-01T00:00:00Z",
                "changes": [
                    {
                        "indicator": "0101",
                        "disaggregation": {},
                        "new": {"value": "0.1"},
                        "revision": 1,
                    }
                ],
            },
        }
    )
    assert message.type == "ValuesAccepted"
    decoded = adapter(topic_name(VALUES_ACCEPTED)).validate_json(encode(message))
    assert str(decoded.payload.changes[0].new.value) == "0.1"


def test_envelope_type_must_match_payload() -> None:
    with pytest.raises(ValidationError, match="does not match"):
        ValuesAcceptedEnvelope.model_validate(
            {
                "type": "Other",
                "producer": "x",
                "payload": {
                    "submission_id": "s",
                    "agency": "a",
                    "unit_code": "01",
                    "period": "2024",
                    "accepted_at": "2025-01-01T00:00:00Z",
                    "changes": [],
                },
            }
        )


def test_topics_are_versioned_and_namespaced() -> None:
    assert all(spec.name.endswith(".v1") for spec in ALL_TOPICS)
    assert topic_name(VALUES_ACCEPTED, "t1") == "t1.dantoc.values.accepted.v1"
    assert Envelope.__name__ == "Envelope"


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (INDICATOR_CODE_PATTERN, "0101", True),
        (INDICATOR_CODE_PATTERN, "010", False),
        (INDICATOR_CODE_PATTERN, "01010", False),
        (INDICATOR_CODE_PATTERN, "٠١٠١", False),  # Arabic-Indic digits: `\d` would take them
        (INDICATOR_CODE_PATTERN, "0101\n", False),
        (UNIT_CODE_PATTERN, "VN", True),
        (UNIT_CODE_PATTERN, "00715", True),
        (UNIT_CODE_PATTERN, "0071", False),
        (UNIT_CODE_PATTERN, "٠٢", False),
        (TWO_DIGIT_CODE_PATTERN, "08", True),
        (TWO_DIGIT_CODE_PATTERN, "8", False),
        (PERIOD_PATTERN, "2024", True),
        (PERIOD_PATTERN, "2024S2", True),
        (PERIOD_PATTERN, "2024Q4", True),
        (PERIOD_PATTERN, "202412", True),
        (PERIOD_PATTERN, "2024Q5", False),
        (PERIOD_PATTERN, "202413", False),
        (PERIOD_PATTERN, "٢٠٢٤", False),
        (PERIOD_PATTERN, "2024\n", False),
    ],
)
def test_code_patterns_take_whole_ascii_strings(pattern: str, text: str, matches: bool) -> None:
    assert (re.fullmatch(pattern, text) is not None) is matches
    checked = TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])  # as a route's path or query check
    if matches:
        assert checked.validate_python(text) == text
    else:
        with pytest.raises(ValidationError):
            checked.validate_python(text)
