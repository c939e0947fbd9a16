"""JSON Schema files for every topic, generated from the models and committed under `contracts/schemas/`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from dantoc_contracts.messages import ENVELOPE_BY_TOPIC
from dantoc_contracts.problems import ProblemDocument

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


def render_all() -> dict[str, str]:
    """File name → JSON text of every schema, deterministic."""
    rendered: dict[str, str] = {}
    for topic, model in ENVELOPE_BY_TOPIC.items():
        schema = TypeAdapter(model).json_schema(mode="serialization")
        schema["$id"] = f"urn:dantoc:topic:{topic}"
        rendered[f"{topic}.json"] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    problem = ProblemDocument.model_json_schema(mode="serialization")
    rendered["problem.json"] = json.dumps(problem, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return rendered


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
