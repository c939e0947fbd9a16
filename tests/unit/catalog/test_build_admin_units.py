"""The pure steps of ``services/catalog/tools/build_admin_units.py``: names, codes, unit rows, conversion, checks."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.catalog.tools.admin_units.conversion import commune_pairs, province_pairs
from services.catalog.tools.admin_units.model import Built, DataError, Units
from services.catalog.tools.admin_units.names import check_code, split_name
from services.catalog.tools.admin_units.output import admin_rows, csv_text, licence_text
from services.catalog.tools.admin_units.units import add_current, add_legacy
from services.catalog.tools.admin_units.validate import validate

Rows = list[dict[str, Any]]  # db rows: column -> value
Json = dict[str, Any]  # converter_2025.json
Spoil = Callable[[Rows, Rows, Json], None]

SCRIPT = Path(__file__).resolve().parents[3] / "services" / "catalog" / "tools" / "build_admin_units.py"


@pytest.mark.parametrize(
    ("full", "db_type", "expected", "noted"),
    [
        pytest.param("Tỉnh Hà Giang", None, ("Hà Giang", "Tỉnh"), False, id="province"),
        pytest.param("Thành Phố Bắc Kạn", "Thành phố", ("Bắc Kạn", "Thành phố"), False, id="prefix case"),
        pytest.param("Thị xã Sơn Tây", "Thị xã", ("Sơn Tây", "Thị xã"), False, id="longest type first"),
        pytest.param("Thị Trấn Ái Tử", "Thị trấn", ("Ái Tử", "Thị trấn"), False, id="canonical type case"),
        pytest.param("Đặc khu Côn Đảo", "Đặc khu", ("Côn Đảo", "Đặc khu"), False, id="special zone"),
        pytest.param("Phường 1", "Phường", ("Phường 1", "Phường"), False, id="digit keeps the type"),
        pytest.param("Phường 1 Bảo Lộc", "Phường", ("Phường 1 Bảo Lộc", "Phường"), False, id="digit then name"),
        pytest.param("Xã  Tân \t Lập ", "Xã", ("Tân Lập", "Xã"), False, id="whitespace collapsed"),
        pytest.param(unicodedata.normalize("NFD", "Xã Lũng Cú"), "Xã", ("Lũng Cú", "Xã"), False, id="NFD in"),
        pytest.param("Xã é Tòng", "Xã", ("É Tòng", "Xã"), True, id="first letter upper-cased"),
        pytest.param("Thị trấn Ngọc Lặc", "Xã", ("Ngọc Lặc", "Thị trấn"), True, id="prefix beats db type"),
    ],
)
def test_split_name(full: str, db_type: str | None, expected: tuple[str, str], noted: bool) -> None:
    warnings: list[str] = []
    name, type_ = split_name(full, db_type, "here", warnings)
    assert (name, type_) == expected
    assert name == unicodedata.normalize("NFC", name)
    assert bool(warnings) == noted


def test_split_name_needs_a_type_prefix() -> None:
    with pytest.raises(DataError, match="cannot find a unit type prefix"):
        split_name("Khu Foo", None, "here", [])


@pytest.mark.parametrize(
    ("code", "level", "ok"),
    [
        ("02", "province", True),
        ("024", "district", True),
        ("00688", "commune", True),
        ("2", "province", False),
        ("0688", "commune", False),
        ("02a", "district", False),
        ("024", "province", False),
        (None, "commune", False),
    ],
)
def test_check_code(code: str | None, level: str, ok: bool) -> None:
    if ok:
        assert check_code(code, level, "here") == code
    else:
        with pytest.raises(DataError, match=f"bad {level} code"):
            check_code(code, level, "here")


PROVINCES = {
    "tinhhagiang": ("Tỉnh Hà Giang", "02"),
    "thanhphohaiphong": ("Thành phố Hải Phòng", "31"),
    "tinhtuyenquang": ("Tỉnh Tuyên Quang", "08"),
}
DISTRICTS = {"huyendongvan": "Huyện Đồng Văn", "huyenbachlongvi": "Huyện Bạch Long Vĩ"}


def ward_columns(wkey: str | None, wcode: str | None, ward: str | None) -> dict[str, Any]:
    ward_type = None if ward is None else "Đặc khu" if ward.startswith("Đặc khu") else ward.split()[0]
    return {"ward": ward, "wardType": ward_type, "wardCode": wcode, "wardKey": wkey}


def legacy_row(
    pkey: str, dkey: str, dcode: str, wkey: str | None, wcode: str | None, ward: str | None
) -> dict[str, Any]:
    province, pcode = PROVINCES[pkey]
    district = {"district": DISTRICTS[dkey], "districtType": "Huyện", "districtCode": dcode, "districtKey": dkey}
    return {
        "province": province,
        "provinceCode": pcode,
        "provinceKey": pkey,
        **district,
        **ward_columns(wkey, wcode, ward),
    }


def current_row(pkey: str, wkey: str, wcode: str, ward: str) -> dict[str, Any]:
    province, pcode = PROVINCES[pkey]
    return {"province": province, "provinceCode": pcode, "provinceKey": pkey, **ward_columns(wkey, wcode, ward)}


def world() -> tuple[Rows, Rows, Json]:
    """Lũng Cú moves whole, Má Lé is split in two, the commune-less Bạch Long Vĩ district becomes a đặc khu."""
    legacy = [
        legacy_row("tinhhagiang", "huyendongvan", "024", "xalungcu", "00688", "Xã Lũng Cú"),
        legacy_row("tinhhagiang", "huyendongvan", "024", "xamale", "00691", "Xã Má Lé"),
        legacy_row("thanhphohaiphong", "huyenbachlongvi", "318", None, None, None),
    ]
    current = [
        current_row("tinhtuyenquang", "xalungcu", "00688", "Xã Lũng Cú"),
        current_row("tinhtuyenquang", "xadongvan", "00700", "Xã Đồng Văn"),
        current_row("thanhphohaiphong", "dackhubachlongvi", "11948", "Đặc khu Bạch Long Vĩ"),
    ]
    converter = {
        "DICT_PROVINCE": {"tinhtuyenquang": ["tinhhagiang"], "thanhphohaiphong": ["thanhphohaiphong"]},
        "DICT_PROVINCE_WARD_NO_DIVIDED": {
            "tinhtuyenquang": {"xalungcu": ["tinhhagiang_huyendongvan_xalungcu"]},
            "thanhphohaiphong": {"dackhubachlongvi": ["thanhphohaiphong_huyenbachlongvi_"]},
        },
        "DICT_PROVINCE_WARD_DIVIDED": {
            "tinhtuyenquang": {
                "tinhhagiang_huyendongvan_xamale": [{"newWardKey": "xalungcu"}, {"newWardKey": "xadongvan"}]
            }
        },
    }
    return legacy, current, converter


def build_world(legacy: Rows, current: Rows, converter: Json) -> Built:
    units: Units = {}
    legacy_keys = add_legacy(legacy, units, [])
    current_keys = add_current(current, units, [])
    prov_pairs = province_pairs(converter["DICT_PROVINCE"], legacy_keys, current_keys)
    communes = commune_pairs(converter, legacy_keys, current_keys)
    return Built(units, communes.pairs, prov_pairs, communes.island_districts)


def test_world_builds_units_and_conversion() -> None:
    built = build_world(*world())
    assert built.units[("legacy", "district", "318")]["parent_code"] == "31"
    assert built.units[("current", "commune", "11948")] == {
        **{"code": "11948", "level": "commune", "name": "Bạch Long Vĩ", "type": "Đặc khu", "parent_code": "31"},
        **{"valid_from": "2025-07-01", "valid_to": ""},
    }
    assert ("legacy", "commune", "318") not in built.units
    assert built.pairs == {
        ("00688", "00688"): ("whole", "1"),
        ("00691", "00688"): ("partial", ""),
        ("00691", "00700"): ("partial", ""),
    }
    assert built.prov_pairs == {"02": "08", "31": "31"}
    assert built.island_districts == [("318", "11948")]


def test_world_report() -> None:
    report = validate(build_world(*world()))
    assert report[0] == "legacy: province=2, district=2, commune=2"
    assert report[2] == "current: province=2, commune=3"
    assert report[4] == "commune conversion: 3 rows; 2 of 2 legacy communes mapped; 0 without a row"
    assert report[5] == "  whole: 1 communes; partial: 1 communes -> 2 rows (split into n parts: {2: 1})"
    assert report[-2] == "province conversion: 2 old provinces -> 2 new"
    assert report[-1].startswith("code reuse: 1 of 3 current commune codes are also legacy commune codes (1 of")


def duplicate_commune_code(legacy: Rows, current: Rows, conv: Json) -> None:
    legacy[1]["wardCode"] = "00688"


def second_province_code(legacy: Rows, current: Rows, conv: Json) -> None:
    current[1]["provinceKey"] = "thanhphohaiphong"


def district_renamed(legacy: Rows, current: Rows, conv: Json) -> None:
    legacy[1]["district"] = "Huyện Mèo Vạc"


def old_key_twice(legacy: Rows, current: Rows, conv: Json) -> None:
    conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhtuyenquang"]["xadongvan"] = ["tinhhagiang_huyendongvan_xamale"]


def one_part(legacy: Rows, current: Rows, conv: Json) -> None:
    conv["DICT_PROVINCE_WARD_DIVIDED"]["tinhtuyenquang"]["tinhhagiang_huyendongvan_xamale"].pop()


def island_divided(legacy: Rows, current: Rows, conv: Json) -> None:
    parts = [{"newWardKey": "xalungcu"}, {"newWardKey": "xadongvan"}]
    conv["DICT_PROVINCE_WARD_DIVIDED"]["tinhtuyenquang"]["thanhphohaiphong_huyenbachlongvi_"] = parts
    del conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["thanhphohaiphong"]


def unknown_new(legacy: Rows, current: Rows, conv: Json) -> None:
    conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhtuyenquang"]["xanosuch"] = []


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        pytest.param(duplicate_commune_code, "legacy commune code 00688 occurs twice", id="commune code twice"),
        pytest.param(second_province_code, "current province key thanhphohaiphong has two codes", id="province key"),
        pytest.param(district_renamed, "conflicting rows for \\('legacy', 'district', '024'\\)", id="conflict"),
        pytest.param(old_key_twice, "old key tinhhagiang_huyendongvan_xamale listed twice", id="old key twice"),
        pytest.param(one_part, "odd division", id="split into one part"),
        pytest.param(island_divided, "commune-less district thanhphohaiphong_huyenbachlongvi_ is divided", id="isl"),
        pytest.param(unknown_new, "unknown new commune tinhtuyenquang/xanosuch", id="unknown new commune"),
    ],
)
def test_inconsistent_source_is_refused(spoil: Spoil, message: str) -> None:
    legacy, current, converter = world()
    spoil(legacy, current, converter)
    with pytest.raises(DataError, match=message):
        build_world(legacy, current, converter)


@pytest.mark.parametrize(
    ("key", "column", "value", "message"),
    [
        (("legacy", "commune", "00691"), "parent_code", "025", "parent district '025' missing"),
        (("current", "province", "08"), "parent_code", "31", "current province 08 has a parent"),
    ],
)
def test_validate_refuses_broken_hierarchy(key: tuple[str, str, str], column: str, value: str, message: str) -> None:
    built = build_world(*world())
    built.units[key][column] = value
    with pytest.raises(DataError, match=message):
        validate(built)


def test_validate_refuses_districts_in_the_current_map() -> None:
    built = build_world(*world())
    built.units[("current", "district", "999")] = {**built.units[("legacy", "district", "024")], "parent_code": "08"}
    with pytest.raises(DataError, match="current map has districts"):
        validate(built)


def test_admin_rows_are_sorted_by_map_level_code() -> None:
    rows = admin_rows(build_world(*world()))
    assert [(r[0], r[1]) for r in rows][:4] == [
        ("02", "province"),
        ("31", "province"),
        ("024", "district"),
        ("318", "district"),
    ]
    assert [r[0] for r in rows][-5:] == ["08", "31", "00688", "00700", "11948"]


def test_csv_and_licence_text_are_nfc_with_lf() -> None:
    nfd = unicodedata.normalize("NFD", "Lũng Cú")
    assert csv_text(["a", "b"], [[nfd, "x, y"]]) == 'a,b\nLũng Cú,"x, y"\n'
    assert licence_text("MIT\r\n\r\nCopyright\r\n\r\n") == "MIT\n\nCopyright\n"


def test_script_entry_point_loads() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True)
    assert "--package-dir" in done.stdout
    assert "administrative-unit data files" in done.stdout
