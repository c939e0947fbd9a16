"""An uploaded file into drafts: which format it is, where its unit, period and agency come from, and its id.

Without a client-chosen id, a file's submission id is derived from its unit, period and content, so uploading
the same file twice is a resend (same answer, nothing new) and a corrected file is a new submission.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dantoc_contracts.bounds import SUBMISSION_ID_WIDTH
from dantoc_contracts.codes import CANONICAL_ETHNIC_LIST
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_contracts.uploads import UploadRefused
from dantoc_ingest.domain.model import Draft, DraftValue
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.readers import DEFAULT_LIMITS, FileContent, FileLimits, read_csv, read_xlsx, refused_problem
from dantoc_ingest.files.sdmx import looks_like_sdmx, read_sdmx_csv


class UploadProblems(Exception):
    """The file cannot become submissions (unreadable, columns missing, unit or period unknown)."""

    def __init__(self, problems: list[ProblemItem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    data: bytes
    agency: str  # from the form, else the token's
    unit_code: str | None = None
    period: str | None = None
    submission_id: str | None = None
    comment: str | None = None
    ethnic_code_list: str = CANONICAL_ETHNIC_LIST.value
    format: str | None = None  # xlsx, csv or sdmx; guessed when absent


def detect(upload: Upload) -> str:
    if upload.format:
        return upload.format.lower()
    name = upload.filename.lower()
    if name.endswith(".xlsx") or upload.data[:4] == b"PK\x03\x04":
        return "xlsx"
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return "sdmx" if looks_like_sdmx(upload.data) else "csv"
    return name.rpartition(".")[2]


def drafts_from_upload(upload: Upload, limits: FileLimits = DEFAULT_LIMITS) -> list[Draft]:
    """The file's drafts, or UploadProblems: every malformed or over-limit file is a problem with its place.

    Blocking (openpyxl, csv): run it off the event loop (`asyncio.to_thread`).
    """
    try:
        return _drafts(upload, limits)
    except UploadRefused as refused:
        raise UploadProblems([refused_problem(refused)]) from None
    except UploadProblems:
        raise
    except Exception as error:  # a malformed file is the sender's problem (422), never a 500
        detail = f"{type(error).__name__}: {str(error)[:200]}"
        raise UploadProblems([problem("unreadable_file", Location(field="file"), detail=detail)]) from None


def _drafts(upload: Upload, limits: FileLimits) -> list[Draft]:
    kind = detect(upload)
    if kind == "sdmx":
        return _sdmx_drafts(upload, limits)
    if kind not in ("xlsx", "csv"):
        raise UploadProblems([problem("unsupported_format", Location(field="file"), upload.filename)])
    read = read_xlsx if kind == "xlsx" else read_csv
    content = read(upload.data, code_list=upload.ethnic_code_list, limits=limits)
    if content.problems:
        raise UploadProblems(content.problems)
    fields = {name: _metadata(upload, content, name) for name in ("unit_code", "period", "agency")}
    found = {name: value for name, value in fields.items() if isinstance(value, str)}
    if len(found) < len(fields):
        raise UploadProblems([value for value in fields.values() if isinstance(value, ProblemItem)])
    return _id_fits([_draft(upload, found["unit_code"], found["period"], found["agency"], content.values, kind="file")])


def _metadata(upload: Upload, content: FileContent, name: str) -> str | ProblemItem:
    """A value from the form or from the template's `_meta` sheet; both given and different is a problem."""
    given, stored = getattr(upload, name), content.meta.get(name) or None
    if given and stored and given != stored:
        return problem("conflicting_metadata", Location(field=name), stored, field=name, other=given)
    found = given or stored
    return found if found else problem("missing_field", Location(field=name), field=name)


def _id_fits(drafts: list[Draft]) -> list[Draft]:
    """A submission id longer than the column (a long given id plus an SDMX file's unit and period) is refused."""
    for draft in drafts:
        if len(draft.submission_id) > SUBMISSION_ID_WIDTH:
            detail = f"at most {SUBMISSION_ID_WIDTH} characters (with the unit and period added: {draft.submission_id})"
            raise UploadProblems(
                [problem("invalid_field", Location(field="submission_id"), field="submission_id", detail=detail)]
            )
    return drafts


def _draft(upload: Upload, unit: str, period: str, agency: str, values: list[DraftValue], *, kind: str) -> Draft:
    digest = hashlib.sha256(upload.data).hexdigest()[:20]
    submission_id = upload.submission_id or f"{kind}-{unit}-{period}-{digest}"
    return Draft(
        submission_id=submission_id,
        agency=agency,
        unit_code=unit,
        period=period,
        values=values,
        source="file",
        comment=upload.comment,
    )


def _sdmx_drafts(upload: Upload, limits: FileLimits) -> list[Draft]:
    content = read_sdmx_csv(upload.data, code_list=upload.ethnic_code_list, limits=limits)
    if not content.problems and not content.groups:
        content.problems.append(problem("empty_submission", Location(field="file")))
    if content.problems:
        raise UploadProblems(content.problems)
    several = len(content.groups) > 1
    drafts = []
    for (unit, period), values in content.groups.items():
        draft = _draft(upload, unit, period, upload.agency, values, kind="sdmx")
        if several and upload.submission_id:
            draft.submission_id = f"{upload.submission_id}-{unit}-{period}"
        drafts.append(draft)
    return _id_fits(drafts)
