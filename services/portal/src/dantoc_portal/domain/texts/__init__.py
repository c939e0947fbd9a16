"""English for the pages' Vietnamese texts: one table per page family, merged here."""

from __future__ import annotations

from dantoc_portal.domain.texts import common, entry, views

ENGLISH: dict[str, str] = {**entry.EN, **views.EN, **common.EN}  # the layout's own texts win
