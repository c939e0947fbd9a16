"""The home, completeness and explore pages over the real services: figures submitted through ingest show up on
the pages (in Vietnamese formatting), sorting and filtering, the downloads through the gateway, every fault of a
filter at once, and the 403 page outside the person's scope.

Figures: `seed_views` (0101 of communes 03226 and 03229 of district 098 in 2022 and 2023); the home page's entry
official is an account of its own (commune 03232), so no other test's figures or drafts are in the way."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import UTC, datetime

import httpx
import pytest

from tests.support.portal import PortalStack, csrf_of, seed_views, signed_in

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
async def seeded(portal_stack: PortalStack) -> PortalStack:
    await asyncio.to_thread(seed_views, portal_stack)
    return portal_stack


def rows(html: str) -> dict[str, str]:
    """The completeness table's rows by unit code."""
    return dict(re.findall(r'<tr data-unit="(\d+)" data-state="[a-z]+">(.*?)</tr>', html, re.S))


def _share(cells: str) -> float:
    found = re.search(r'<td class="num">([\d.,]+) %</td>', cells)
    assert found
    return float(found.group(1).replace(".", "").replace(",", "."))


async def test_completeness_lists_every_unit_below_with_its_status(seeded: PortalStack) -> None:
    async with signed_in(seeded, "tinh.dienbien") as client:
        page = await client.get("/tinh-hinh-bao-cao", params={"unit": "098", "period": "2023"})
        assert page.status_code == 200, page.text
        found = rows(page.text)
        assert {"098", "03217", "03220", "03226", "03229", "03250"} <= set(found)
        assert 'data-unit="03226" data-state="partial"' in page.text
        assert 'href="/khai-thac?unit=03226&amp;period=2023"' in page.text
        assert "/nhap-lieu?unit=" not in page.text  # a provincial administrator enters nothing
        assert page.text.count('role="img"') == 2  # by group and by unit
        assert "Tình hình báo cáo theo nhóm chỉ tiêu" in page.text

        by_share = await client.get("/tinh-hinh-bao-cao", params={"unit": "098", "period": "2023", "sort": "-share"})
        ranked = rows(by_share.text)
        shares = [_share(cells) for cells in ranked.values()]
        assert shares == sorted(shares, reverse=True)
        assert list(ranked).index("03226") < list(ranked).index("03250")
        by_name = await client.get("/tinh-hinh-bao-cao", params={"unit": "098", "period": "2023", "sort": "-name"})
        names = re.findall(r'<th scope="row">([^<]+) <span', by_name.text)
        assert names == sorted(names, key=str.casefold, reverse=True)

        group = await client.get("/tinh-hinh-bao-cao", params={"unit": "098", "period": "2023", "group": "01"})
        assert re.search(r"<abbr[^>]*>Nhóm 01</abbr>", group.text)
        assert not re.search(r"<abbr[^>]*>Nhóm 04</abbr>", group.text)
        reported = await client.get(
            "/tinh-hinh-bao-cao", params={"unit": "098", "period": "2023", "status": "reported"}
        )
        assert {"03226", "03229"} <= set(rows(reported.text))
        assert "03250" not in rows(reported.text)


async def test_completeness_downloads_through_the_gateway(seeded: PortalStack) -> None:
    async with signed_in(seeded, "tinh.dienbien") as client:
        csv = await client.get("/tinh-hinh-bao-cao/tai-ve", params={"unit": "098", "period": "2023", "format": "csv"})
        assert csv.status_code == 200
        assert csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in csv.headers["content-disposition"]
        assert "03226" in csv.text
        assert "Đã báo cáo" in csv.text
        xlsx = await client.get("/tinh-hinh-bao-cao/tai-ve", params={"unit": "098", "period": "2023", "format": "xlsx"})
        assert xlsx.status_code == 200
        assert xlsx.content[:2] == b"PK"
        bad = await client.get("/tinh-hinh-bao-cao/tai-ve", params={"unit": "098", "format": "exe"})
        assert bad.status_code == 400
        outside = await client.get("/tinh-hinh-bao-cao/tai-ve", params={"unit": "02", "format": "csv"})
        assert outside.status_code == 403


async def test_explore_shows_the_series_the_child_units_and_the_ethnic_groups(seeded: PortalStack) -> None:
    async with signed_in(seeded, "tinh.dienbien") as client:
        params = {"indicator": "0101", "unit": "098", "period": "2023", "from": "2020", "to": "2023"}
        page = await client.get("/khai-thac", params=params)
        assert page.status_code == 200, page.text
        series = page.text[page.text.index('id="series"') :]
        assert re.search(r'data-code="2023"><th scope="row">Năm 2023</th><td class="num">(\d{1,3}(\.\d{3})+)<', series)
        drill = page.text[page.text.index('id="drilldown"') :]
        assert '<tr data-code="03226"><th scope="row">Xã Tả Sìn Thàng</th><td class="num">1.500</td>' in drill
        assert '<tr data-code="03229"><th scope="row">Xã Lao Xả Phình</th><td class="num">2.700</td>' in drill
        ethnic = page.text[page.text.index('id="comparison"') :]
        assert '<tr data-code="02"><th scope="row">Tày</th>' in ethnic
        assert page.text.count('role="img"') == 3
        assert 'href="/khai-thac?indicator=0101&amp;unit=03226' in page.text  # the child units as links

        commune = await client.get("/khai-thac", params={**params, "unit": "03226"})
        rows_ = dict(
            re.findall(r'<tr data-code="(\d{4})"><th scope="row">[^<]+</th><td class="num">([^<]+)<', commune.text)
        )
        assert rows_["2022"] == "1.350"
        assert rows_["2023"] == "1.500"
        assert rows_["2020"] == "—"

        csv = await client.get("/khai-thac/tai-ve", params={**params, "kind": "drilldown", "format": "csv"})
        assert csv.status_code == 200
        assert csv.headers["content-type"].startswith("text/csv")
        assert "03229" in csv.text
        series_xlsx = await client.get("/khai-thac/tai-ve", params={**params, "kind": "series", "format": "xlsx"})
        assert series_xlsx.content[:2] == b"PK"


async def test_every_fault_of_a_filter_is_said_beside_its_field(seeded: PortalStack) -> None:
    async with signed_in(seeded, "tinh.dienbien") as client:
        bad = await client.get(
            "/tinh-hinh-bao-cao",
            params={"unit": "1;drop", "period": "20x4", "group": "99", "status": "late", "sort": "evil"},
        )
        assert bad.status_code == 400
        errors = dict(re.findall(r'class="field-error" id="err-([a-z]+)">([^<]+)<', bad.text))
        assert set(errors) == {"unit", "period", "group", "status", "sort"}
        assert errors["period"] == "Kỳ báo cáo không hợp lệ (ví dụ: 2024, 2024Q3)."
        assert 'aria-describedby="err-status"' in bad.text
        explore = await client.get("/khai-thac", params={"indicator": "9999", "from": "2024Q1", "to": "2023"})
        assert explore.status_code == 400
        errors = dict(re.findall(r'class="field-error" id="err-([a-z]+)">([^<]+)<', explore.text))
        assert set(errors) == {"indicator", "to"}
        assert 'value="2024Q1"' in explore.text  # what was typed stays, beside its message


@pytest.mark.parametrize("path", ["/tinh-hinh-bao-cao?unit=02", "/khai-thac?unit=02", "/khai-thac/tai-ve?unit=02"])
async def test_a_unit_outside_the_scope_is_the_403_page(seeded: PortalStack, path: str) -> None:
    for username in ("huyen.tuachua", "tinh.dienbien"):
        async with signed_in(seeded, username) as client:
            answer = await client.get(path)
            assert answer.status_code == 403
            assert "<h1>Không có quyền truy cập</h1>" in answer.text
            assert "Traceback" not in answer.text


async def test_a_national_user_picks_a_province(seeded: PortalStack) -> None:
    async with signed_in(seeded, "trunguong") as client:
        picker = await client.get("/tinh-hinh-bao-cao")
        assert picker.status_code == 200
        assert 'href="/tinh-hinh-bao-cao?unit=11' in picker.text
        assert '<option value="11">Tỉnh Điện Biên</option>' in picker.text
        province = await client.get("/tinh-hinh-bao-cao", params={"unit": "11", "period": "2023", "group": "01"})
        assert province.status_code == 200
        assert 'data-unit="03229"' in province.text
        home = await client.get("/")
        assert home.status_code == 200
        assert 'class="card review" data-period="2026"' in home.text


async def test_home_of_a_reviewer_lists_the_silent_units_below(seeded: PortalStack) -> None:
    async with signed_in(seeded, "tinh.dienbien") as client:
        home = await client.get("/")
        assert home.status_code == 200
        card = home.text[home.text.index('data-period="2026"') :]  # province 11 is on both maps: 2026, 2025
        assert re.search(r"Chưa báo cáo: [\d.]+<", card)
        assert re.search(r'<li data-unit="\d+">', card)
        assert 'href="/tinh-hinh-bao-cao?unit=11&amp;period=2026&amp;status=silent"' in card
    async with signed_in(seeded, "huyen.tuachua") as reviewer:
        home = await reviewer.get("/")
        assert home.status_code == 200
        assert 'class="card review" data-period="2024"' in home.text


async def _entry_account(portal: PortalStack, username: str, unit: str) -> str:
    """A new entry official of `unit` (agency BDT-11), its first password changed; the new password."""
    async with signed_in(portal, "tinh.dienbien") as admin:
        form = await admin.get("/tai-khoan")
        created = await admin.post(
            "/tai-khoan",
            data={
                "csrf_token": csrf_of(form.text),
                "username": username,
                "display_name": "Vàng Thị Sua",
                "role": "entry",
                "unit_code": unit,
                "agency": "BDT-11",
            },
        )
        assert created.status_code == 200, created.text
        found = re.search(r'class="secret">([^<]+)<', created.text)
        assert found
    password = "Mật khẩu của Sua 2026"
    async with signed_in(portal, username, found.group(1)) as first:
        change = await first.get("/doi-mat-khau")
        changed = await first.post(
            "/doi-mat-khau",
            data={
                "csrf_token": csrf_of(change.text),
                "old_password": found.group(1),
                "new_password": password,
                "new_password_again": password,
            },
        )
        assert changed.status_code == 303
    return password


async def test_home_of_an_entry_official_shows_entered_no_data_missing_and_rejected(seeded: PortalStack) -> None:
    password = await _entry_account(seeded, "xa.taphin", "03232")
    token = await asyncio.to_thread(seeded.stack.token, "agency", "03232", "BDT-11")
    body = {
        "submission_id": "views-home-03232-2024",
        "agency": "BDT-11",
        "unit_code": "03232",
        "period": "2024",
        "values": [{"indicator": "0101", "value": 812}, {"indicator": "0102", "no_data": True, "no_data_reason": "x"}],
    }
    async with httpx.AsyncClient(timeout=30) as client:
        sent = await client.post(
            seeded.service_url("ingest") + "/submissions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert sent.status_code == 200, sent.text
    with sqlite3.connect(seeded.stack.directory / "portal.db") as db:
        [(account_id,)] = db.execute("SELECT id FROM accounts WHERE username = 'xa.taphin'").fetchall()
        db.execute(
            "INSERT INTO drafts (account_id, unit_code, period, group_code, submission_id, values_json, status, "
            "problems_json, updated_at) VALUES (?, '03232', '2024', '04', 'views-rejected', '{}', 'rejected', '[]', ?)",
            (account_id, datetime.now(UTC).isoformat(sep=" ")),
        )
    async with signed_in(seeded, "xa.taphin", password) as official:
        home = await official.get("/")
        assert home.status_code == 200, home.text
        card = home.text[home.text.index('<div class="card period" data-period="2024">') :]
        card = card[: card.index("</table>")]
        group01 = re.search(r'<tr data-group="01" data-missing="(\d+)">(.*?)</tr>', card, re.S)
        assert group01
        cells = re.findall(r'<td class="num">(\d+)', group01.group(2))
        assert cells[:2] == ["1", "1"]  # 0101 entered, 0102 declared without data
        assert int(group01.group(1)) == int(cells[2]) >= 1
        assert 'href="/nhap-lieu?unit=03232&amp;period=2024&amp;group=01"' in card
        assert re.search(
            r'<tr data-group="04" data-missing="\d+">\s*<th scope="row">04 [^<]+<span class="badge bad">', card
        )
        rejected = home.text[home.text.index('id="rejected"') :]
        assert 'href="/nhap-lieu?unit=03232&amp;period=2024&amp;group=04"' in rejected
        every = await official.get("/", params={"ky": "tat-ca"})
        assert every.text.count('class="card period"') >= home.text.count('class="card period"')
