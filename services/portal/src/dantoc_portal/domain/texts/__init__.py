"""English for the pages' Vietnamese texts: one table per page family, merged here."""

from __future__ import annotations

from dantoc_portal.domain.texts import common, views

ENGLISH: dict[str, str] = {**common.EN, **views.EN}
