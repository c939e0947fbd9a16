"""Vietnamese first, English as a switch: the texts of the pages and the formatting of numbers and dates.

Pages are written in Vietnamese; `translate(text, "en")` gives the English of a Vietnamese text from the tables in
`domain/texts/` (a text with no English entry stays Vietnamese, which a test forbids for the pages' own texts).
Numbers: `1.234.567,5` in Vietnamese, `1,234,567.5` in English. Dates: `07/12/2026`, times in Vietnam's time (UTC+7,
no daylight saving)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from dantoc_portal.domain.texts import ENGLISH

LANGS = ("vi", "en")
VIETNAM = timezone(timedelta(hours=7), "ICT")


def lang_of(value: str | None) -> str:
    return value if value in LANGS else "vi"


def translate(text: str, lang: str, table: Mapping[str, str] = ENGLISH) -> str:
    return table.get(text, text) if lang == "en" else text


def translator(lang: str) -> Callable[..., str]:
    """`_(text, **values)`: the text in `lang`, with `{name}` fields filled in."""

    def _(text: str, **values: object) -> str:
        out = translate(text, lang)
        return out.format(**values) if values else out

    return _


def format_number(value: Decimal | int | str | None, lang: str = "vi", *, places: int | None = None) -> str:
    """`1234567.5` → `1.234.567,5` (vi) or `1,234,567.5` (en); empty for None; text that is no number as it is."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    whole, _, fraction = format(abs(number), "f").partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    thousands, point = (",", ".") if lang == "en" else (".", ",")
    grouped = f"{int(whole):,}".replace(",", thousands)
    return ("-" if number < 0 else "") + grouped + (point + fraction if fraction else "")


def format_date(value: date | datetime | None, lang: str = "vi") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(VIETNAM)
        return local.strftime("%d/%m/%Y %H:%M") if lang == "vi" else local.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def period_label(period: str, lang: str = "vi") -> str:
    """`2024` → `Năm 2024`, `2024Q3` → `Quý 3/2024`, `2024S1` → `6 tháng đầu năm 2024`, `202407` → `Tháng 7/2024`."""
    vi = lang != "en"
    if len(period) == 4 and period.isdigit():
        return f"Năm {period}" if vi else period
    if len(period) == 6 and period[4] == "Q":
        return f"Quý {period[5]}/{period[:4]}" if vi else f"Q{period[5]} {period[:4]}"
    if len(period) == 6 and period[4] == "S":
        half = period[5]
        return (f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {period[:4]}") if vi else f"H{half} {period[:4]}"
    if len(period) == 6 and period.isdigit():
        return f"Tháng {int(period[4:])}/{period[:4]}" if vi else f"{period[:4]}-{period[4:]}"
    return period
