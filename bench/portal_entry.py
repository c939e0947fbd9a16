"""The data-entry page's save form, read from its HTML as a browser would submit it: every named field of the
form posting to `/nhap-lieu`, a few empty number cells typed the Vietnamese way, and the save (dry run) button."""

from __future__ import annotations

from html.parser import HTMLParser

TYPED = ("1.234", "56", "7,5")
SAVE_WORDS = ("kiểm tra", "lưu")


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action = ""
        self.fields: list[tuple[str, str]] = []
        self.empty_numbers: list[str] = []
        self.buttons: list[tuple[str, str, str]] = []  # name, value, text
        self._inside = False
        self._done = False
        self._button: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        posts = tag == "form" and a.get("method", "").lower() == "post"
        if posts and not self._done and a.get("action", "").startswith("/nhap-lieu"):
            self._inside, self.action = True, a["action"]
        if not self._inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            if kind == "text" and not a.get("value") and a.get("inputmode") in ("decimal", "numeric"):
                self.empty_numbers.append(a["name"])
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button, self._text = (a.get("name", ""), a.get("value", "")), ""

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            self.buttons.append((*self._button, self._text.strip().lower()))
            self._button = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def entry_save_form(html: str) -> tuple[str, dict[str, str | list[str]]]:
    """(action, form data) of a save of the page's grid, with a few cells typed."""
    parser = _Form()
    parser.feed(html)
    if not parser.action:
        raise ValueError("no data-entry form posting to /nhap-lieu on the page")
    data: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        previous = data.get(name)
        data[name] = value if previous is None else [*([previous] if isinstance(previous, str) else previous), value]
    for name, value in zip(parser.empty_numbers, TYPED, strict=False):
        data[name] = value
    save = next(
        (b for b in parser.buttons if any(w in b[2] for w in SAVE_WORDS)), parser.buttons[0] if parser.buttons else None
    )
    if save and save[0]:
        data[save[0]] = save[1]
    return parser.action, data
