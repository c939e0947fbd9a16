"""`replay-parked`: apply parked accepted-value records again after a fix, deleting those that now apply.

Runs as the writer (the service must be stopped: the command refuses to wait for the writer lock) and changes the
aggregates the way a batch does, stamped with a new batch number: the service publishes their events when it
starts again (the outbox: every aggregate changed after the last published batch). A record that still fails
stays parked, and its error class is printed; an event the service could not publish (partition -1) is not a
record to apply and is only listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from dantoc_aggregate.db import parked as parking
from dantoc_aggregate.db.engine import create_engine, session_factory
from dantoc_aggregate.db.leader import writer_lock
from dantoc_aggregate.db.migrate import upgrade_head
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.decoding import decode_record
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services.apply import apply_batch
from dantoc_aggregate.settings import Settings
from dantoc_contracts import topics
from dantoc_contracts.quarantine import FailureKind, classify, error_class


@dataclass(slots=True)
class ReplayReport:
    applied: list[int] = field(default_factory=list)
    failing: list[tuple[int, str]] = field(default_factory=list)  # (id, error class)
    not_records: list[int] = field(default_factory=list)


async def replay_parked(settings: Settings, record_id: int | None = None) -> ReplayReport:
    """Re-apply every parked accepted-value record (or the one with `record_id`)."""
    await upgrade_head(settings.database_url)
    topic = topics.topic_name(topics.VALUES_ACCEPTED, settings.namespace)
    engine = create_engine(settings.database_url)
    follower = CatalogFollower(settings.kafka_bootstrap_servers, settings.namespace, AggregateMetrics())
    report = ReplayReport()
    try:
        async with writer_lock(engine, wait=False) as fence:
            follower.start()
            await follower.wait_ready()
            sessions = session_factory(engine)
            async with UnitOfWork(sessions) as uow:
                rows = await parking.parked(uow.conn, record_id)
            for row in rows:
                assert row.id is not None
                if row.topic != topic:
                    report.not_records.append(row.id)
                    continue
                try:
                    message = decode_record(row.value)
                    message.partition, message.offset = row.partition, row.offset
                    await apply_batch(
                        uow=UnitOfWork(sessions),
                        rules=follower.rules,
                        messages=[message],
                        topic=topic,
                        next_offsets={},
                        unparked=[row.id],
                        fence=fence,
                        careful=True,
                    )
                except (ValidationError, TypeError) as error:
                    report.failing.append((row.id, error_class(error)))
                except Exception as error:
                    if classify(error) is FailureKind.TRANSIENT:
                        raise
                    report.failing.append((row.id, error_class(error)))
                else:
                    report.applied.append(row.id)
    finally:
        await follower.stop()
        await engine.dispose()
    return report
