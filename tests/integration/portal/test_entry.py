"""The data-entry page over the real stack: a wrong value's message beside its cell, every problem at once, the
draft kept across a rejected save, submit and an idempotent resend, the cell's history, the 403 page."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.support.portal import PortalStack, csrf_of, entry_official, signed_in

pytestmark = pytest.mark.timeout(300)

UNIT, PERIOD, GROUP = "03244", "2024", "01"  # Xá Nhè: no other test writes its cells
TOTAL = "_T|_T|_T|_T"
TAY_WOMEN = "GSO1979:02|2|_T|_T"


def cell(indicator: str, key: str) -> str:
    return f"v:{indicator}:{key}"


def cell_id(indicator: str, key: str) -> str:
    return "c-" + indicator + "-" + re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")


def message_of(page: str, indicator: str, key: str) -> str:
    found = re.search(rf'<span class="cell-msg" id="{cell_id(indicator, key)}-msg">([^<]*)</span>', page)
    return html.unescape(found.group(1)) if found else ""


def value_of(page: str, indicator: str, key: str) -> str | None:
    found = re.search(rf'name="{re.escape(cell(indicator, key))}"\s+value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


async def open_grid(client: httpx.AsyncClient, unit: str = UNIT, period: str = PERIOD) -> httpx.Response:
    return await client.get("/nhap-lieu", params={"unit": unit, "period": period, "group": GROUP})


def form(page: str, action: str, values: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_of(page),
        "unit": UNIT,
        "period": PERIOD,
        "group": GROUP,
        "action": action,
        **values,
        **extra,
    }


async def test_a_wrong_value_shows_beside_its_cell_then_fixed_it_is_submitted_once(portal_stack: PortalStack) -> None:
    password = await entry_official(portal_stack, "nhaplieu.b1", UNIT)
    async with signed_in(portal_stack, "nhaplieu.b1", password) as client:
        page = await open_grid(client)
        assert page.status_code == 200, page.text
        assert 'id="entry-grid"' in page.text
        assert cell("0101", TAY_WOMEN) not in page.text  # no Tày cells until the group is present
        added = await client.post("/nhap-lieu", data=form(page.text, "add", {"add_group": "02"}))
        assert added.status_code == 200
        assert cell("0101", TAY_WOMEN) in added.text
        values = {cell("0101", TOTAL): "1.520", cell("0101", "_T|1|_T|_T"): "7OO", cell("0101", TAY_WOMEN): "-5"}
        saved = await client.post("/nhap-lieu", data=form(added.text, "save", values))
        assert saved.status_code == 422, saved.text
        assert "không phải là một số" in message_of(saved.text, "0101", "_T|1|_T|_T")
        assert "ngoài khoảng hợp lệ" in message_of(saved.text, "0101", TAY_WOMEN)  # every problem at once
        assert message_of(saved.text, "0101", TOTAL) == ""
        assert re.search(rf'id="{cell_id("0101", "_T|1|_T|_T")}"[^>]*aria-invalid="true"', saved.text, re.S)
        assert value_of(saved.text, "0101", "_T|1|_T|_T") == "7OO"  # nothing typed is lost
        again = await open_grid(client)  # the server's draft survives the rejected save
        assert value_of(again.text, "0101", "_T|1|_T|_T") == "7OO"
        assert value_of(again.text, "0101", TAY_WOMEN) == "-5"
        assert "không phải là một số" in message_of(again.text, "0101", "_T|1|_T|_T")
        rejected = await client.post("/nhap-lieu", data=form(again.text, "submit", values))
        assert rejected.status_code == 422  # a submission with the problem is refused; the draft stays
        assert value_of((await open_grid(client)).text, "0101", TAY_WOMEN) == "-5"

        fixed = {**values, cell("0101", "_T|1|_T|_T"): "700", cell("0101", TAY_WOMEN): "12"}
        checked = await client.post("/nhap-lieu", data=form(again.text, "save", fixed))
        assert checked.status_code == 200, checked.text
        assert 'data-outcome="checked"' in checked.text
        sent = await client.post("/nhap-lieu", data=form(checked.text, "submit", fixed))
        assert sent.status_code == 200, sent.text
        assert 'data-outcome="submitted"' in sent.text
        assert "3 giá trị được chấp nhận" in sent.text
        assert "đã được gửi trước đó" not in sent.text
        assert value_of(sent.text, "0101", TOTAL) == "1520"  # now the stored value, with its revision
        assert "Lần sửa 1" in sent.text
        resent = await client.post("/nhap-lieu", data=form(checked.text, "submit", fixed))  # a dropped answer's retry
        assert resent.status_code == 200
        assert "Báo cáo này đã được gửi trước đó; không có gì thay đổi." in resent.text
        assert "Lần sửa 2" not in resent.text

        history = await client.get(
            "/nhap-lieu/lich-su", params={"unit": UNIT, "period": PERIOD, "indicator": "0101", "key": TAY_WOMEN}
        )
        assert history.status_code == 200, history.text
        assert "Tày" in history.text
        assert "portal:nhaplieu.b1" in history.text
        assert re.search(r"<td class=\"num\">12</td>", history.text)


async def test_no_data_needs_its_reason_and_english_messages_follow_the_language(portal_stack: PortalStack) -> None:
    password = await entry_official(portal_stack, "nhaplieu.b1", UNIT)
    async with signed_in(portal_stack, "nhaplieu.b1", password) as client:
        page = await open_grid(client, period="2025")
        assert page.status_code == 200, page.text
        data = form(page.text, "save", {"nd:0102": "1", cell("0104", TOTAL): "1e5"}, period="2025")
        saved = await client.post("/nhap-lieu", data=data)
        assert saved.status_code == 422
        reason = re.search(r'<span class="cell-msg" id="nd-0102-msg">([^<]*)</span>', saved.text)
        assert reason
        assert "lý do" in html.unescape(reason.group(1))
        assert message_of(saved.text, "0104", TOTAL)
        client.cookies.set("dantoc_lang", "en")
        english = await client.post("/nhap-lieu", data=data)
        assert english.status_code == 422
        assert "reason" in html.unescape(english.text)
        assert "Save and check" in english.text


async def test_a_unit_outside_the_scope_is_the_403_page(portal_stack: PortalStack) -> None:
    password = await entry_official(portal_stack, "nhaplieu.b1", UNIT)
    async with signed_in(portal_stack, "nhaplieu.b1", password) as client:
        page = await open_grid(client, unit="03223")
        assert page.status_code == 403
        assert "ngoài phạm vi" in page.text
        mine = await open_grid(client)
        posted = await client.post("/nhap-lieu", data={**form(mine.text, "save", {}), "unit": "00715"})
        assert posted.status_code in (403, 404)
        history = await client.get(
            "/nhap-lieu/lich-su", params={"unit": "03223", "period": PERIOD, "indicator": "0101", "key": TOTAL}
        )
        assert history.status_code == 403
    async with signed_in(portal_stack, "trunguong") as reader:
        assert (await reader.get("/nhap-lieu")).status_code == 403  # a national reader enters nothing
