"""The portal's pure rules, table by table: formatting, periods, accounts, roles and their token claims."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dantoc_portal.api.signin import safe_next
from dantoc_portal.domain.accounts import Lockout, NewAccount, account_problems, is_locked, password_problems
from dantoc_portal.domain.i18n import format_date, format_number, period_label, translate
from dantoc_portal.domain.indicators import agency_types, reported_by
from dantoc_portal.domain.periods import previous_period, reporting_periods
from dantoc_portal.domain.roles import Person, PortalRole, may_administer, token_claims
from dantoc_portal.services.accounts import read_csv


@pytest.mark.parametrize(
    ("value", "lang", "places", "shown"),
    [
        (Decimal("1234567.5"), "vi", None, "1.234.567,5"),
        (Decimal("1234567.5"), "en", None, "1,234,567.5"),
        ("1520", "vi", None, "1.520"),
        (0, "vi", None, "0"),
        (Decimal("-12.50"), "vi", None, "-12,5"),
        (Decimal("12.345"), "vi", 1, "12,3"),
        (Decimal("100"), "vi", 2, "100,00"),
        (None, "vi", None, ""),
        ("không phải số", "vi", None, "không phải số"),
    ],
)
def test_numbers_are_shown_the_vietnamese_way(value: object, lang: str, places: int | None, shown: str) -> None:
    assert format_number(value, lang, places=places) == shown  # type: ignore[arg-type]


def test_dates_and_times_are_in_vietnam() -> None:
    assert format_date(date(2026, 12, 7)) == "07/12/2026"
    assert format_date(datetime(2026, 12, 7, 17, 30, tzinfo=UTC)) == "08/12/2026 00:30"
    assert format_date(date(2026, 12, 7), "en") == "2026-12-07"


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        ("2024", "Năm 2024", "2024"),
        ("2024Q3", "Quý 3/2024", "Q3 2024"),
        ("2024S1", "6 tháng đầu năm 2024", "H1 2024"),
        ("202407", "Tháng 7/2024", "2024-07"),
    ],
)
def test_period_labels(period: str, vi: str, en: str) -> None:
    assert (period_label(period), period_label(period, "en")) == (vi, en)


@pytest.mark.parametrize(
    ("period", "before"),
    [("2024", "2023"), ("2025Q1", "2024Q4"), ("2025Q3", "2025Q2"), ("202501", "202412"), ("202407", "202406"),
     ("2025S1", "2024S2"), ("2025S2", "2025S1")],
)  # fmt: skip
def test_previous_period(period: str, before: str) -> None:
    assert previous_period(period) == before


@pytest.mark.parametrize(
    ("today", "valid_from", "valid_to", "quarterly", "periods"),
    [
        (date(2026, 12, 7), None, date(2025, 6, 30), False, ["2024", "2023"]),  # legacy: before its end
        (date(2026, 12, 7), date(2025, 7, 1), None, False, ["2026", "2025"]),  # a current commune
        (date(2026, 3, 1), date(2025, 7, 1), None, True, ["2026", "2026Q1", "2025", "2025Q4", "2025Q3"]),
        (date(2026, 12, 7), None, None, False, ["2026", "2025", "2024", "2023"]),
    ],
)
def test_reporting_periods(
    today: date, valid_from: date | None, valid_to: date | None, quarterly: bool, periods: list[str]
) -> None:
    assert reporting_periods(today, valid_from, valid_to, quarterly=quarterly) == periods


ACCOUNT = NewAccount("xa.huoiso", "Lò Thị Mai", "entry", "03220", "BDT-11")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({}, []),
        ({"username": "Xa Huoi So"}, ["username"]),
        ({"username": "ab"}, ["username"]),
        ({"display_name": ""}, ["display_name"]),
        ({"role": "boss"}, ["role"]),
        ({"unit_code": "3220"}, ["unit_code"]),
        ({"unit_code": "VN"}, ["unit_code"]),
        ({"agency": ""}, ["agency"]),
        ({"role": "province_admin", "unit_code": "098"}, ["unit_code"]),
        ({"role": "reviewer", "unit_code": "03220"}, ["unit_code"]),
        ({"role": "national", "unit_code": "VN", "agency": ""}, []),
        ({"role": "national", "unit_code": "11"}, ["unit_code"]),
        ({"username": "", "display_name": "", "agency": "x y"}, ["username", "display_name", "agency"]),
    ],
)
def test_every_problem_of_a_new_account_at_once(change: dict[str, str], fields: list[str]) -> None:
    assert [p.field for p in account_problems(dataclasses.replace(ACCOUNT, **change))] == fields


@pytest.mark.parametrize(
    ("password", "count"),
    [("Mật khẩu dài đủ 2026", 0), ("ngan", 2), ("xa.huoiso-2026!", 1), ("aaaaaaaaaaaa", 1), ("x" * 129, 2)],
)
def test_password_policy(password: str, count: int) -> None:
    assert len(password_problems(password, "xa.huoiso")) == count


def test_lockout_after_repeated_failures() -> None:
    policy, now = Lockout(failures=3, minutes=15), datetime(2026, 12, 7, tzinfo=UTC)
    assert policy.after_failure(0, now) == (1, None)
    assert policy.after_failure(1, now) == (2, None)
    count, until = policy.after_failure(2, now)
    assert (count, until) == (0, now + timedelta(minutes=15))
    assert is_locked(until, now + timedelta(minutes=14))
    assert not is_locked(until, now + timedelta(minutes=15))


@pytest.mark.parametrize(
    ("role", "unit", "agency", "claims"),
    [
        (PortalRole.ENTRY, "03220", "BDT-11", {"role": "provincial", "scope": "03220", "rights": ["read", "submit"]}),
        (PortalRole.REVIEWER, "098", "BDT-11", {"role": "provincial", "scope": "098", "rights": ["read"]}),
        (PortalRole.PROVINCE_ADMIN, "11", "BDT-11", {"role": "provincial", "scope": "11", "rights": ["read"]}),
        (PortalRole.NATIONAL, "VN", "", {"role": "national", "scope": "VN", "rights": ["read"]}),
        (PortalRole.NATIONAL_ADMIN, "VN", "BDTTG", {"role": "national", "rights": ["read", "submit"]}),
    ],
)
def test_token_claims_match_the_access_policy(
    role: PortalRole, unit: str, agency: str, claims: dict[str, object]
) -> None:
    found = token_claims(Person("u", "U", role, unit, agency))
    assert {k: found[k] for k in claims} == claims
    assert found["sub"] == "portal:u"
    assert ("agency" in found) == bool(agency)


@pytest.mark.parametrize(
    ("admin_role", "admin_unit", "role", "province", "allowed"),
    [
        (PortalRole.PROVINCE_ADMIN, "11", PortalRole.ENTRY, "11", True),
        (PortalRole.PROVINCE_ADMIN, "11", PortalRole.REVIEWER, "11", True),
        (PortalRole.PROVINCE_ADMIN, "11", PortalRole.ENTRY, "02", False),
        (PortalRole.PROVINCE_ADMIN, "11", PortalRole.NATIONAL, "", False),
        (PortalRole.NATIONAL_ADMIN, "VN", PortalRole.NATIONAL, "", True),
        (PortalRole.NATIONAL_ADMIN, "VN", PortalRole.ENTRY, "02", True),
        (PortalRole.REVIEWER, "098", PortalRole.ENTRY, "11", False),
        (PortalRole.ENTRY, "03220", PortalRole.ENTRY, "11", False),
    ],
)
def test_who_administers_whom(
    admin_role: PortalRole, admin_unit: str, role: PortalRole, province: str, allowed: bool
) -> None:
    assert may_administer(Person("a", "A", admin_role, admin_unit, "X"), role, province) is allowed


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/nhap-lieu?unit=03220", "/nhap-lieu?unit=03220"), ("//evil.example", "/"), ("https://evil.example/", "/"),
     ("/\\evil", "/"), ("", "/"), (None, "/"), ("nhap-lieu", "/")],
)  # fmt: skip
def test_only_local_redirects_after_sign_in(target: str | None, safe: str) -> None:
    assert safe_next(target) == safe


def indicator(
    code: str, level: str, period_type: str, aggregation: str = "SUM", agency: str = "BDT"
) -> dict[str, object]:
    version = {"effective_from": "2020-01-01", "effective_to": None, "name_vi": code, "value_type": "integer",
               "aggregation": aggregation, "disaggregations": ["sex"], "lowest_level": level,
               "period_type": period_type, "agency": agency}  # fmt: skip
    return {"code": code, "group": {"code": code[:2]}, "versions": [version]}


def test_a_unit_reports_its_level_and_period_type_and_no_formula() -> None:
    catalog = [
        indicator("0101", "commune", "year", agency="CTK"),
        indicator("0403", "commune", "year", aggregation="FORMULA"),
        indicator("0501", "province", "year"),
        indicator("1301", "commune", "quarter"),
        indicator("0401", "commune", "year", agency="SYT"),
    ]
    assert [d.code for d in reported_by(catalog, "commune", "2024")] == ["0101", "0401"]
    assert [d.code for d in reported_by(catalog, "commune", "2024Q2")] == ["1301"]
    writer = agency_types({"agency_type": "BDT", "writes_for": ["CTK"]})
    assert [d.code for d in reported_by(catalog, "commune", "2024", writer)] == ["0101"]
    assert agency_types(None) == frozenset()


@pytest.mark.parametrize(
    ("text", "rows", "problems"),
    [
        ("username,display_name,role,unit_code,agency\nxa.a,Nguyễn A,entry,03220,BDT-11\n", 1, 0),
        ("username;display_name;role;unit_code;agency\nxa.a;Nguyễn A;entry;03220;bdt-11\n", 1, 0),
        ("username,role\nxa.a,entry\n", 0, 2),
    ],
)
def test_account_import_files(text: str, rows: int, problems: int) -> None:
    accounts, found = read_csv(("\ufeff" + text).encode())
    assert (len(accounts), len(found)) == (rows, problems)
    if accounts:
        assert accounts[0].agency == "BDT-11"


def test_an_import_file_that_is_not_utf8_is_refused() -> None:
    _, found = read_csv("username\nNguyễn".encode("utf-16"))
    assert found
    assert found[0].field == "file"


def test_every_page_text_has_its_english() -> None:
    assert translate("Đăng nhập", "en") == "Sign in"
    assert translate("Đăng nhập", "vi") == "Đăng nhập"
