"""Accent-insensitive text search: `dan toc` finds `Dân tộc`, `dieu tra` finds `Điều tra`."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics (đ → d), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, texts: Iterable[str]) -> bool:
    """Every word of the query occurs in one of the texts, ignoring case and diacritics."""
    haystack = " | ".join(fold(text) for text in texts)
    return all(word in haystack for word in fold(query).split())
