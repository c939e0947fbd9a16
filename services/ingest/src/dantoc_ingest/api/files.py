"""File uploads: the filled-in XLSX template, CSV in the same columns, or SDMX-CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from dantoc_contracts.codes import CANONICAL_ETHNIC_LIST
from dantoc_contracts.problems import Location
from dantoc_ingest.api.deps import Caller, Catalog, Config, Ctx
from dantoc_ingest.api.models import BulkOut, SubmissionOut
from dantoc_ingest.api.problems import ProblemError
from dantoc_ingest.api.submissions import REJECTED, DryRun, Prefer, many_answer, single_answer
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.readers import FileLimits
from dantoc_ingest.services.decide import decide_upload
from dantoc_ingest.services.uploads import Upload, UploadProblems

router = APIRouter(prefix="/submissions", tags=["submissions"])
Text = Annotated[str | None, Form()]


@router.post(
    "/file", response_model=SubmissionOut, responses={200: {"model": BulkOut}, 202: {}, 409: {}, 413: {}, 422: {}}
)
async def post_file(
    ctx: Ctx,
    catalog: Catalog,
    caller: Caller,
    settings: Config,
    file: Annotated[UploadFile, File(description="XLSX template, CSV (template columns) or SDMX-CSV.")],
    unit_code: Annotated[str | None, Form(description="Unit (CSV; the XLSX template carries its own).")] = None,
    period: Annotated[str | None, Form(description="Period (CSV; the XLSX template carries its own).")] = None,
    agency: Annotated[str | None, Form(description="Reporting agency; default: the token's.")] = None,
    submission_id: Annotated[str | None, Form(description="Default: derived from unit, period and content.")] = None,
    comment: Text = None,
    ethnic_code_list: Annotated[str, Form(description="List of the ethnic codes: GSO1979 or GSO2008.")] = (
        CANONICAL_ETHNIC_LIST.value
    ),
    format: Annotated[str | None, Form(description="xlsx, csv or sdmx; guessed when absent.")] = None,
    dry_run: DryRun = False,
    prefer: Prefer = None,
) -> JSONResponse:
    """Upload a file: one submission (XLSX, CSV) or one per unit and period (SDMX-CSV), each whole or nothing."""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ProblemError(
            413,
            [
                problem(
                    "invalid_field",
                    Location(field="file"),
                    field="file",
                    detail=f"larger than {settings.max_upload_bytes} bytes",
                )
            ],
        )
    upload = Upload(
        filename=file.filename or "",
        data=data,
        agency=agency or caller.agency,
        unit_code=unit_code,
        period=period,
        submission_id=submission_id,
        comment=comment,
        ethnic_code_list=ethnic_code_list,
        format=format,
    )
    limits = FileLimits(settings.max_upload_unpacked_bytes, settings.max_upload_ratio, settings.max_upload_rows)
    try:
        decisions = await decide_upload(ctx, catalog, caller, upload, limits, dry_run=dry_run, prefer=prefer)
    except UploadProblems as error:
        raise ProblemError(
            422,
            error.problems,
            type_=REJECTED,
            title="File rejected",
            detail=f"{len(error.problems)} problem(s) in the file; nothing was accepted",
        ) from None
    return single_answer(decisions[0]) if len(decisions) == 1 else many_answer(decisions)
