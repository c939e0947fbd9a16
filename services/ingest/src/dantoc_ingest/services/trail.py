"""The submission id trail: one log line per submission decided, replayed or received, whatever its channel, and
one per message dead-lettered. The aggregate and the gateway carry the same id on (`correlation_id`).

- `submission.accepted`: cells changed; a ValuesAccepted follows, then the relay's `values.published`
- `submission.unchanged`: accepted, every value equal to the stored one; nothing is published
- `submission.rejected`: with `problem_count`; a SubmissionRejected is published
- `submission.duplicate`: a resend or a redelivered record; the stored answer, nothing decided again
- `submission.dry_run`, `submission.received` (decided later: `Prefer: respond-async`)
- `submission.conflict`: over HTTP, its id was already used for another submission
- `message.dead_lettered`: a Kafka record unreadable, or reusing an id, with `reason`, `topic`, `partition`, `offset`
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from dantoc_ingest.domain.model import Draft
from dantoc_ingest.services.reports import Status, SubmissionReport

log = logging.getLogger("dantoc_ingest.submissions")
Where = Mapping[str, object]  # topic, partition, offset of a Kafka record; empty for HTTP and files


def _fields(report: SubmissionReport, where: Where | None) -> dict[str, object]:
    return {
        "submission_id": report.submission_id,
        "agency": report.agency,
        "unit_code": report.unit_code,
        "period": report.period,
        "channel": report.channel,
        "count": report.value_count,
        **(where or {}),
    }


def decided(report: SubmissionReport, *, replayed: bool, where: Where | None = None) -> None:
    """One line for a decision (or the stored answer given again)."""
    event, message, more = _outcome(report, replayed)
    log.info(message, extra={"event": event, **more, **_fields(report, where)})


def _outcome(report: SubmissionReport, replayed: bool) -> tuple[str, str, dict[str, object]]:
    if replayed:
        return "submission.duplicate", "submission answered again", {"status": report.status.value}
    if report.dry_run:
        return "submission.dry_run", "submission checked (dry run)", {"status": report.status.value}
    if report.status is Status.REJECTED:
        return "submission.rejected", "submission rejected", {"problem_count": len(report.problems)}
    if report.changed_count:
        return "submission.accepted", "submission accepted", {"changed": report.changed_count}
    return "submission.unchanged", "submission accepted, nothing changed", {}


def received(report: SubmissionReport) -> None:
    log.info("submission received, to be decided", extra={"event": "submission.received", **_fields(report, None)})


def redelivered(draft: Draft, where: Where) -> None:
    """A Kafka record already decided (the group's committed offset lagged behind the database's)."""
    extra = {
        "event": "submission.duplicate",
        "submission_id": draft.submission_id,
        "agency": draft.agency,
        "unit_code": draft.unit_code,
        "period": draft.period,
        **where,
    }
    log.info("submission record redelivered", extra=extra)


def conflict(draft: Draft, channel: str) -> None:
    extra = {"event": "submission.conflict", "submission_id": draft.submission_id, "channel": channel}
    log.warning("submission id already used for another submission", extra=extra)


def dead_lettered(reason: str, where: Where, *, submission_id: str | None = None) -> None:
    """An input record sent to the dead-letter topic (`where`: the record's topic, partition and offset)."""
    extra = {"event": "message.dead_lettered", "reason": reason, **where}
    if submission_id is not None:  # readable, but its id was used for another submission
        extra["submission_id"] = submission_id
    log.warning("message dead-lettered", extra=extra)
