"""The portal over the real services: sign-in, its tokens verified by ingest and the gateway through its JWKS,
the CSRF check, the first-login password change, lockout, the login audit, and the 403 page."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from dantoc_portal.auth.signing import SigningKey
from dantoc_portal.domain.roles import Person, PortalRole, token_claims
from tests.support.portal import PortalStack, csrf_of, signed_in

pytestmark = pytest.mark.timeout(300)


def key_of(portal: PortalStack) -> SigningKey:
    return SigningKey.from_file(portal.stack.directory / "keys" / "jwt-private.pem")


async def test_the_services_verify_the_portals_tokens_through_its_jwks(portal_stack: PortalStack) -> None:
    person = Person("xa.huoiso", "Lò Thị Mai", PortalRole.ENTRY, "03220", "BDT-11")
    token = key_of(portal_stack).sign(token_claims(person), lifetime=timedelta(minutes=5))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=30) as client:
        cells = await client.get(
            portal_stack.service_url("ingest") + "/cells",
            params={"unit_code": "03220", "period": "2024"},
            headers=headers,
        )
        assert cells.status_code == 200, cells.text
        elsewhere = await client.get(
            portal_stack.service_url("ingest") + "/cells",
            params={"unit_code": "00715", "period": "2024"},
            headers=headers,
        )
        assert elsewhere.status_code == 403, elsewhere.text
        figures = await client.get(
            portal_stack.service_url("gateway") + "/v1/values",
            params={"indicator": "0101", "unit": "03220", "period": "2024"},
            headers=headers,
        )
        assert figures.status_code == 200, figures.text  # a person reads the subtree of the scope
        beside = await client.get(
            portal_stack.service_url("gateway") + "/v1/values",
            params={"indicator": "0101", "unit": "098", "period": "2024"},
            headers=headers,
        )
        assert beside.status_code == 403, beside.text  # not the district above
        stranger = SigningKey(_other_key()).sign(token_claims(person), lifetime=timedelta(minutes=5))
        refused = await client.get(
            portal_stack.service_url("ingest") + "/cells",
            params={"unit_code": "03220", "period": "2024"},
            headers={"Authorization": f"Bearer {stranger}"},
        )
        assert refused.status_code == 401, refused.text
        forged = await client.get(
            portal_stack.service_url("gateway") + "/v1/values",
            params={"indicator": "0101", "unit": "03220", "period": "2024"},
            headers={"Authorization": f"Bearer {stranger}"},
        )
        assert forged.status_code == 401, forged.text


def _other_key() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


async def test_a_form_without_its_csrf_token_is_refused(portal_stack: PortalStack) -> None:
    async with signed_in(portal_stack, "trunguong") as client:
        refused = await client.post("/dang-xuat", data={})
        assert refused.status_code == 403
        assert "CSRF" in refused.text
        assert "<html" in refused.text
        home = await client.get("/")
        assert home.status_code == 200  # still signed in: nothing was done
        done = await client.post("/dang-xuat", data={"csrf_token": csrf_of(home.text)})
        assert done.status_code == 303
        assert (await client.get("/")).status_code == 303  # signed out: back to the sign-in page


async def test_sign_in_form_needs_its_own_csrf_token(portal_stack: PortalStack) -> None:
    async with httpx.AsyncClient(base_url=portal_stack.url, timeout=30) as client:
        answer = await client.post(
            "/dang-nhap", data={"username": "trunguong", "password": portal_stack.passwords["trunguong"]}
        )
        assert answer.status_code == 403
        assert "dantoc_session" not in answer.headers.get("set-cookie", "")


async def test_an_administrator_creates_an_account_that_must_change_its_password_and_locks(
    portal_stack: PortalStack,
) -> None:
    async with signed_in(portal_stack, "tinh.dienbien") as admin:
        page = await admin.get("/tai-khoan")
        assert page.status_code == 200
        form = {
            "csrf_token": csrf_of(page.text),
            "username": "xa.sinchai",
            "display_name": "Sùng Thị Dợ",
            "role": "entry",
            "unit_code": "03223",
            "agency": "BDT-11",
        }
        created = await admin.post("/tai-khoan", data=form)
        assert created.status_code == 200, created.text
        password = re.search(r'class="secret">([^<]+)<', created.text)
        assert password
        outside = await admin.post("/tai-khoan", data={**form, "username": "xa.lungcu", "unit_code": "00715"})
        assert outside.status_code == 422
        assert "Bạn không được quản lý tài khoản này." in outside.text
    async with signed_in(portal_stack, "xa.sinchai", password.group(1)) as official:
        first = await official.get("/")
        assert first.status_code == 303
        assert first.headers["location"] == "/doi-mat-khau"
        change = await official.get("/doi-mat-khau")
        new = "Mật khẩu mới của Dợ 2026"
        changed = await official.post(
            "/doi-mat-khau",
            data={
                "csrf_token": csrf_of(change.text),
                "old_password": password.group(1),
                "new_password": new,
                "new_password_again": new,
            },
        )
        assert changed.status_code == 303
        assert (await official.get("/")).status_code == 200
    async with httpx.AsyncClient(base_url=portal_stack.url, timeout=30) as client:
        for attempt in range(5):
            form_page = await client.get("/dang-nhap")
            failed = await client.post(
                "/dang-nhap",
                data={"username": "xa.sinchai", "password": f"sai {attempt}", "csrf_token": csrf_of(form_page.text)},
            )
            assert failed.status_code == 401
        assert "tạm khóa" in failed.text
        form_page = await client.get("/dang-nhap")
        locked = await client.post(
            "/dang-nhap", data={"username": "xa.sinchai", "password": new, "csrf_token": csrf_of(form_page.text)}
        )
        assert locked.status_code == 401
        assert "tạm khóa" in locked.text
    async with signed_in(portal_stack, "tinh.dienbien") as admin:
        log = await admin.get("/tai-khoan")
        assert log.text.count("xa.sinchai") >= 7  # the account row and its sign-ins: success, 5 failures, locked


async def test_an_account_import_lists_every_problem_by_row_and_creates_nothing_until_clean(
    portal_stack: PortalStack,
) -> None:
    header = "username,display_name,role,unit_code,agency\n"
    bad = header + "xa.nhapmot,Cán bộ một,entry,03226,BDT-11\nxa.lungcu2,Ngoài tỉnh,entry,00715,BDT-02\n,,boss,,\n"
    async with signed_in(portal_stack, "tinh.dienbien") as admin:
        page = await admin.get("/tai-khoan")
        refused = await admin.post(
            "/tai-khoan/nhap",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": ("tai-khoan.csv", bad.encode(), "text/csv")},
        )
        assert refused.status_code == 422
        assert "Tệp có 5 lỗi; chưa tạo tài khoản nào." in refused.text
        assert "<td>3</td><td>unit_code</td>" in refused.text  # the file's line 3: a unit of another province
        assert "xa.nhapmot" not in (await admin.get("/tai-khoan")).text.split("Tạo tài khoản")[0]
        good = header + "xa.nhapmot,Cán bộ một,entry,03226,BDT-11\nhuyen.nhaphai,Cán bộ hai,reviewer,098,BDT-11\n"
        done = await admin.post(
            "/tai-khoan/nhap",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": ("tai-khoan.csv", good.encode(), "text/csv")},
        )
        assert done.status_code == 200, done.text
        assert "Đã tạo 2 tài khoản." in done.text
        assert done.text.count('class="secret"') == 2
