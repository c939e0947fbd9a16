"""Signing in through the real pages in Chromium: the sign-in page on a phone, the first-login password change,
lockout after failed attempts, a form without its CSRF token refused, the accounts page and its 403 for others.
Screenshots of each page are kept (tests/support/browser.py) and axe-core finds no serious violation on any."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible, screenshot
from tests.support.portal import PortalStack, sign_in_page


def test_sign_in_on_a_phone(portal_stack: PortalStack, phone_page: Page) -> None:
    phone_page.goto(f"{portal_stack.url}/dang-nhap")
    expect(phone_page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    screenshot(phone_page, "signin-phone")
    assert_accessible(phone_page, "signin-phone")
    sign_in_page(phone_page, portal_stack.url, "trunguong", portal_stack.passwords["trunguong"])
    expect(phone_page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    screenshot(phone_page, "home-national-phone")
    assert_accessible(phone_page, "home-national-phone")


def test_english_is_a_switch(portal_stack: PortalStack, page: Page) -> None:
    page.goto(f"{portal_stack.url}/dang-nhap")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def create_account(page: Page, portal: PortalStack, unit: str) -> tuple[str, str]:
    """As the provincial administrator of Điện Biên: a new commune official's account and its temporary password."""
    username = f"xa.thu{secrets.token_hex(3)}"
    sign_in_page(page, portal.url, "tinh.dienbien", portal.passwords["tinh.dienbien"])
    page.goto(f"{portal.url}/tai-khoan")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Họ tên").fill("Cán bộ thử nghiệm")
    page.get_by_label("Vai trò").select_option("entry")
    page.get_by_label("Mã đơn vị").fill(unit)
    page.get_by_label("Cơ quan").fill("BDT-11")
    page.get_by_role("button", name="Tạo tài khoản").click()
    secret = page.locator(".secret").first
    expect(secret).to_be_visible()
    screenshot(page, "accounts-created")
    assert_accessible(page, "accounts")
    password = secret.inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    return username, password


def test_the_first_sign_in_asks_for_a_new_password(portal_stack: PortalStack, page: Page) -> None:
    username, password = create_account(page, portal_stack, "03217")
    sign_in_page(page, portal_stack.url, username, password)
    expect(page).to_have_url(re.compile("/doi-mat-khau$"))
    expect(page.get_by_text("Lần đầu đăng nhập: hãy đặt mật khẩu mới.")).to_be_visible()
    screenshot(page, "password-first")
    assert_accessible(page, "password-first")
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill("ngắn")
    page.get_by_label("Nhập lại mật khẩu mới").fill("khác")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Mật khẩu phải có ít nhất 10 ký tự.")).to_be_visible()
    expect(page.get_by_text("Hai mật khẩu mới không giống nhau.")).to_be_visible()  # every problem at once
    screenshot(page, "password-problems")
    new = "Tủa Chùa 2026 mật khẩu"
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill(new)
    page.get_by_label("Nhập lại mật khẩu mới").fill(new)
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Đã đổi mật khẩu.")).to_be_visible()


def test_lockout_after_failed_sign_ins(portal_stack: PortalStack, page: Page) -> None:
    username, password = create_account(page, portal_stack, "03223")
    for attempt in range(5):
        sign_in_page(page, portal_stack.url, username, f"sai mật khẩu {attempt}")
    expect(page.get_by_role("alert")).to_contain_text("Tài khoản tạm khóa do đăng nhập sai nhiều lần")
    screenshot(page, "signin-locked")
    assert_accessible(page, "signin-locked")
    sign_in_page(page, portal_stack.url, username, password)  # the right password does not open a locked account
    expect(page.get_by_role("alert")).to_contain_text("tạm khóa")


def test_a_form_posted_without_its_csrf_token_is_refused(portal_stack: PortalStack, page: Page) -> None:
    sign_in_page(page, portal_stack.url, "trunguong", portal_stack.passwords["trunguong"])
    page.evaluate("document.querySelector('form[action=\\\"/dang-xuat\\\"] input[name=csrf_token]').remove()")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Yêu cầu không hợp lệ")).to_be_visible()
    expect(page.get_by_text("Biểu mẫu thiếu mã bảo vệ (CSRF)")).to_be_visible()
    screenshot(page, "csrf-refused")
    assert_accessible(page, "error-403")
    page.goto(f"{portal_stack.url}/")
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()  # still signed in


def test_accounts_are_for_administrators_only(portal_stack: PortalStack, page: Page) -> None:
    sign_in_page(page, portal_stack.url, "huyen.tuachua", portal_stack.passwords["huyen.tuachua"])
    response = page.goto(f"{portal_stack.url}/tai-khoan")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    expect(page.get_by_text("Trang này dành cho quản trị viên.")).to_be_visible()
