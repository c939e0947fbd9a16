"""Generate the Grafana dashboards (deploy/grafana/dashboards/*.json) from the panel lists below.

    .venv/bin/python deploy/grafana/build_dashboards.py          # write the JSON files
    .venv/bin/python deploy/grafana/build_dashboards.py --check  # exit 1 if a committed file is out of date

Every query uses metric names the services expose (services/*/src/*/metrics.py) or the recording rules in
deploy/prometheus/rules/; tests/integration/ops evaluates each one against running services and fails on a panel
that would show nothing. Queries that are empty on a healthy system (server errors) fall back to 0 with `or`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `deploy.grafana` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.grafana.panels import RI, Panel, Row, dashboard, quantile, stat, ts
from deploy.grafana.service_rows import COMPLETENESS, GATEWAY

OUT = Path(__file__).with_name("dashboards")
SERVICES = 'job=~"catalog|ingest|aggregate|gateway"'


LAG = '{__name__=~"dantoc_[a-z]+_(consumer|readmodel)_lag_messages"}'
"""Every consumer-lag gauge: `dantoc_<service>_consumer_lag_messages` (or the gateway's read-model lag)."""
PIPELINE: tuple[Row, ...] = (
    Row(
        "Dữ liệu có đang chảy? (is data flowing?)",
        (
            stat("Dịch vụ đang chạy (services up)", "Services Prometheus can scrape, of 4.", f"sum(up{{{SERVICES}}})"),
            stat(
                "Báo cáo được nhận, 1 giờ (accepted, 1 h)",
                "Submissions ingest accepted in the last hour.",
                'sum(increase(dantoc_ingest_submissions_total{outcome="accepted"}[1h]))',
            ),
            stat(
                "Giá trị được tổng hợp, 1 giờ (values aggregated, 1 h)",
                "Cell changes the aggregate service applied in the last hour.",
                "sum(increase(dantoc_aggregate_values_applied_total[1h]))",
            ),
            stat(
                "Độ trễ tổng hợp p99 (freshness p99)",
                "p99 time from a submission's acceptance to the publication of every aggregate it changed (5 min).",
                "dantoc:aggregate_freshness_seconds:p99_5m",
                unit="s",
            ),
            stat(
                "Hàng đợi gửi (outbox backlog)",
                "Messages written to ingest's and the catalog's outboxes but not yet published to Kafka.",
                "sum(dantoc_ingest_outbox_pending) + sum(dantoc_catalog_outbox_backlog)",
            ),
            stat(
                "Cảnh báo đang bật (firing alerts)",
                "Alerts firing now (Prometheus > Alerts lists them).",
                'count(ALERTS{alertstate="firing"}) or vector(0)',
            ),
        ),
    ),
    Row(
        "Lưu lượng (throughput)",
        (
            ts(
                "Báo cáo theo kết quả (submissions by outcome)",
                "Submissions decided by ingest per second, by channel and outcome.",
                (f"sum by (channel, outcome) (rate(dantoc_ingest_submissions_total[{RI}]))", "{{channel}} {{outcome}}"),
            ),
            ts(
                "Giá trị qua từng bước (values through each step)",
                "Cells per second: checked by ingest, applied by aggregate, published as aggregates, read by gateway.",
                (f"sum by (outcome) (rate(dantoc_ingest_values_total[{RI}]))", "ingest {{outcome}}"),
                (f"sum(rate(dantoc_aggregate_values_applied_total[{RI}]))", "aggregate applied"),
                (f"sum(rate(dantoc_aggregate_events_published_total[{RI}]))", "aggregates published"),
                (f"sum by (outcome) (rate(dantoc_gateway_aggregates_applied_total[{RI}]))", "gateway {{outcome}}"),
            ),
            ts(
                "Thông điệp gửi lên Kafka (published to Kafka)",
                "Messages per second published by ingest's outbox relay (by topic) and by the catalog.",
                (f"sum by (topic) (rate(dantoc_ingest_published_total[{RI}]))", "ingest → {{topic}}"),
                (f"sum by (origin) (rate(dantoc_catalog_records_published_total[{RI}]))", "catalog {{origin}}"),
            ),
        ),
    ),
    Row(
        "Báo cáo bị từ chối (rejections)",
        (
            ts(
                "Lỗi theo mã (problems by code)",
                "Problems found in rejected submissions per second, by problem code (every problem is reported).",
                (f"sum by (code) (rate(dantoc_ingest_problems_total[{RI}]))", "{{code}}"),
                width=12,
            ),
            Panel(
                "bargauge",
                "Lý do phổ biến nhất, 24 giờ (top reasons, 24 h)",
                "The ten most frequent problem codes of the last 24 hours.",
                (("topk(10, sum by (code) (increase(dantoc_ingest_problems_total[24h])))", "{{code}}"),),
                width=6,
                options={"orientation": "horizontal", "displayMode": "basic"},
            ),
            ts(
                "Tỷ lệ bị từ chối (rejected share)",
                "Share of submissions rejected over 15 minutes and over the day (the spike alert compares them).",
                ("dantoc:ingest_rejected_ratio:rate15m", "15 min"),
                ("dantoc:ingest_rejected_ratio:rate1d", "1 day"),
                unit="percentunit",
                width=6,
            ),
        ),
    ),
    Row(
        "Tắc ở đâu? (where is it stuck?)",
        (
            ts(
                "Hàng đợi gửi (outbox backlog)",
                "Unpublished outbox messages: growing means Kafka is not taking them.",
                ("dantoc_ingest_outbox_pending", "ingest {{instance}}"),
                ("dantoc_catalog_outbox_backlog", "catalog {{instance}}"),
            ),
            ts(
                "Độ trễ đọc chủ đề (consumer lag)",
                "Messages on a topic (partition) not yet applied by its reader, for every service with a lag gauge.",
                (f"max by (job, topic, partition) ({LAG})", "{{job}} {{topic}} {{partition}}"),
            ),
            ts(
                "Độ tươi của số liệu tổng hợp (freshness)",
                "From acceptance by ingest to the published aggregates: median and p99.",
                (quantile(0.5, "dantoc_aggregate_freshness_seconds"), "p50"),
                (quantile(0.99, "dantoc_aggregate_freshness_seconds"), "p99"),
                unit="s",
            ),
            ts(
                "Thời gian xử lý (processing time p95)",
                "ingest: check and store one submission; aggregate: apply, commit and publish one batch.",
                (quantile(0.95, "dantoc_ingest_check_seconds"), "ingest check"),
                (quantile(0.95, "dantoc_ingest_apply_seconds"), "ingest store"),
                (quantile(0.95, "dantoc_aggregate_batch_seconds"), "aggregate batch"),
                unit="s",
            ),
            ts(
                "Thư chết và lỗi gửi (dead letters, publish errors)",
                "Messages no consumer could read, restarts and failed publications (any of them needs a look).",
                (f"sum(increase(dantoc_ingest_dead_letters_total[{RI}]))", "ingest dead letters"),
                (
                    f'sum(increase(dantoc_aggregate_values_ignored_total{{reason="unreadable"}}[{RI}]))',
                    "aggregate unreadable",
                ),
                (f"sum by (topic) (increase(dantoc_gateway_dead_lettered_total[{RI}]))", "gateway {{topic}}"),
                (f"sum(increase(dantoc_ingest_relay_errors_total[{RI}]))", "ingest publish errors"),
                (f"sum(increase(dantoc_catalog_publish_errors_total[{RI}]))", "catalog publish errors"),
                (f"sum(increase(dantoc_aggregate_pipeline_restarts_total[{RI}]))", "aggregate restarts"),
            ),
            ts(
                "Sẵn sàng (readiness)",
                "ingest's catalog cache loaded, the aggregate writer lock held, the gateway's feeds caught up.",
                ("dantoc_ingest_catalog_ready", "ingest catalog"),
                ("max(dantoc_aggregate_is_writer)", "aggregate writer"),
                ("dantoc_gateway_readmodel_caught_up", "gateway {{topic}}"),
            ),
        ),
    ),
)

KAFKA = Row(
    "Kafka (số liệu FastStream, FastStream metrics)",
    (
        ts(
            "Thông điệp nhận theo chủ đề (received per topic)",
            "Messages per second each service took from each topic (FastStream's received-messages counter).",
            (
                f"sum by (app_name, handler) (rate(faststream_received_messages_total[{RI}]))",
                "{{app_name}} ← {{handler}}",
            ),
        ),
        ts(
            "Thông điệp gửi theo chủ đề (published per topic)",
            "Messages per second each service published to each topic, by status (success or error).",
            (
                f"sum by (app_name, destination, status) (rate(faststream_published_messages_total[{RI}]))",
                "{{app_name}} → {{destination}} {{status}}",
            ),
        ),
        ts(
            "Thời gian xử lý thông điệp p95 (processing time p95)",
            "How long a received message (or batch) took to apply and commit, per service and topic.",
            (
                quantile(0.95, "faststream_received_processed_messages_duration_seconds", by="app_name, handler"),
                "{{app_name}} ← {{handler}}",
            ),
            unit="s",
        ),
    ),
)
PIPELINE = (*PIPELINE, KAFKA)

DASHBOARDS = {
    "pipeline": ("dantoc-pipeline", "Dân tộc: luồng dữ liệu (pipeline overview)", PIPELINE),
    "gateway": ("dantoc-gateway", "Dân tộc: cổng truy vấn (gateway)", GATEWAY),
    "completeness": ("dantoc-completeness", "Dân tộc: tình hình báo cáo (completeness)", COMPLETENESS),
}


def rendered() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {
        f"{name}.json": json.dumps(dashboard(uid, title, rows), ensure_ascii=False, indent=2) + "\n"
        for name, (uid, title, rows) in DASHBOARDS.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed file differs from the output")
    args = parser.parse_args()
    stale = [
        name for name, text in rendered().items() if not (OUT / name).is_file() or (OUT / name).read_text() != text
    ]
    if args.check:
        if stale:
            print(f"out of date: {', '.join(stale)} (run deploy/grafana/build_dashboards.py)", file=sys.stderr)
            raise SystemExit(1)
        return
    OUT.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(DASHBOARDS)} dashboards to {OUT}")


if __name__ == "__main__":
    main()
