"""The committed JSON Schema files are exactly what the models generate."""

from __future__ import annotations

from dantoc_contracts.schemas import SCHEMA_DIR, render_all


def test_committed_schemas_match_the_models() -> None:
    stale = [
        name
        for name, text in render_all().items()
        if not (SCHEMA_DIR / name).exists() or (SCHEMA_DIR / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"regenerate with `uv run python -m dantoc_contracts schemas`: {stale}"


def test_no_schema_file_without_a_model() -> None:
    assert {p.name for p in SCHEMA_DIR.glob("*.json")} == set(render_all())
