"""Translations into drafts: from the wire contract, and to and from the JSON kept for received submissions."""

from __future__ import annotations

from pydantic import TypeAdapter

from dantoc_contracts.submissions import DataValueSet
from dantoc_ingest.domain.model import Draft, DraftValue

_DRAFT = TypeAdapter(Draft)


def draft_from_contract(submission: DataValueSet) -> Draft:
    values = []
    for v in submission.values:
        d, ethnic = v.disaggregation, v.disaggregation.ethnic_group
        values.append(
            DraftValue(
                indicator=v.indicator,
                value=v.value,
                no_data=v.no_data,
                no_data_reason=v.no_data_reason,
                ethnic_code_list=ethnic.code_list.value if ethnic else None,
                ethnic_code=ethnic.code if ethnic else None,
                sex=d.sex,
                age_group=d.age_group,
                residence=d.residence,
            )
        )
    return Draft(
        submission_id=submission.submission_id,
        agency=submission.agency,
        unit_code=submission.unit_code,
        period=submission.period,
        values=values,
        source=submission.source.value,
        comment=submission.comment,
    )


def draft_to_json(draft: Draft) -> str:
    return _DRAFT.dump_json(draft).decode()


def draft_from_json(text: str) -> Draft:
    return _DRAFT.validate_json(text)
