"""Rows of the gateway and completeness dashboards (the pipeline overview is in build_dashboards.py)."""

from __future__ import annotations

from deploy.grafana.panels import RI, Panel, Row, or_zero, quantile, stat, ts

GATEWAY_REQUESTS = "dantoc_gateway_http_requests_total"
SERVER_ERRORS = GATEWAY_REQUESTS + '{status=~"5.."}'

GATEWAY = (
    Row(
        "Cổng truy vấn (gateway)",
        (
            stat("Yêu cầu/giây (requests/s)", "Requests per second.", f"sum(rate({GATEWAY_REQUESTS}[{RI}]))", "reqps"),
            stat(
                "Lỗi máy chủ (server errors)",
                "Share of requests answered 5xx.",
                f"({or_zero(SERVER_ERRORS, GATEWAY_REQUESTS, 'job')}) / sum by (job) (rate({GATEWAY_REQUESTS}[{RI}]))",
                "percentunit",
            ),
            stat("Độ trễ p95 (latency p95)", "All routes.", quantile(0.95, "dantoc_gateway_http_request_seconds"), "s"),
            stat(
                "Độ trễ đọc (read-model lag)",
                "Aggregate messages not yet in the gateway's read model.",
                "sum(dantoc_gateway_readmodel_lag_messages)",
            ),
        ),
    ),
    Row(
        "Độ trễ và lỗi (latency and errors)",
        (
            ts(
                "Độ trễ p95 theo đường dẫn (latency p95 by route)",
                "95th percentile of request time per route.",
                (quantile(0.95, "dantoc_gateway_http_request_seconds", "route"), "{{route}}"),
                unit="s",
                width=12,
            ),
            ts(
                "Yêu cầu theo đường dẫn và mã (requests by route and status)",
                "Requests per second by route and HTTP status.",
                (f"sum by (route, status) (rate({GATEWAY_REQUESTS}[{RI}]))", "{{route}} {{status}}"),
                unit="reqps",
                width=12,
            ),
            ts(
                "Lỗi máy chủ theo đường dẫn (server errors by route)",
                "5xx answers per second by route (0 when there are none).",
                (or_zero(SERVER_ERRORS, GATEWAY_REQUESTS, "route"), "{{route}}"),
                unit="reqps",
            ),
            ts(
                "Từ chối truy cập (access denied)",
                "401 and 403 answers per second by problem code: expired tokens, requests outside the scope.",
                (f"sum by (code) (rate(dantoc_gateway_access_denied_total[{RI}]))", "{{code}}"),
                unit="reqps",
            ),
            ts(
                "Bộ đệm và định dạng (cache, export formats)",
                "Response cache hits and misses; answers by format (JSON, CSV, XLSX, SDMX).",
                (f"sum by (result) (rate(dantoc_gateway_response_cache_total[{RI}]))", "cache {{result}}"),
                (f"sum by (format) (rate(dantoc_gateway_exports_total[{RI}]))", "{{format}}"),
                unit="reqps",
            ),
            ts(
                "Danh mục: độ trễ API (catalog API latency p95)",
                "95th percentile of the catalog service's request time by route.",
                (quantile(0.95, "dantoc_catalog_http_request_duration_seconds", "route"), "{{route}}"),
                unit="s",
                width=12,
            ),
            ts(
                "Mô hình đọc (read model)",
                "Aggregate records applied per second by outcome, and the lag of each feed.",
                (f"sum by (outcome) (rate(dantoc_gateway_aggregates_applied_total[{RI}]))", "applied {{outcome}}"),
                ("sum by (topic, partition) (dantoc_gateway_readmodel_lag_messages)", "lag {{topic}} {{partition}}"),
                width=12,
            ),
        ),
    ),
)

COMPLETE = 'dantoc_gateway_completeness_units{status=~"reported|no_data"}'
EXPECTED = 'dantoc_gateway_completeness_units{status="expected"}'
COMPLETENESS = (
    Row(
        "Tình hình báo cáo theo tỉnh (completeness by province)",
        (
            stat(
                "Toàn quốc (national)",
                "Reported or declared 'no data', of the expected cells, over every province's latest period.",
                f"sum({COMPLETE}) / sum({EXPECTED})",
                "percentunit",
            ),
            Panel(
                "bargauge",
                "Đã báo cáo theo tỉnh (reported, by province)",
                "Per province and its latest period: cells reported or declared 'no data', of those expected.",
                (
                    (
                        f"sum by (province, name, period) ({COMPLETE}) / sum by (province, name, period) ({EXPECTED})",
                        "{{province}} {{name}} ({{period}})",
                    ),
                ),
                width=20,
                height=16,
                unit="percentunit",
                options={"orientation": "horizontal", "displayMode": "gradient", "min": 0, "max": 1},
            ),
            Panel(
                "table",
                "Chi tiết (details)",
                "Cells expected, reported, declared 'no data' and silent, per province and period.",
                (("sum by (province, name, period, status) (dantoc_gateway_completeness_units)", ""),),
                width=24,
                height=12,
            ),
            ts(
                "Tiến độ theo thời gian (progress over time)",
                "How completeness grows during a reporting round, per province.",
                (f"sum by (province, name) ({COMPLETE}) / sum by (province, name) ({EXPECTED})", "{{name}}"),
                unit="percentunit",
                width=24,
            ),
        ),
    ),
)
