"""The JSON Schema of the three scenario files, for the browser editor's forms.

Generated from the pydantic schema (app/content/schema.py), so the form and the validator never
disagree on a field. Fields that name another part of the scenario carry `"x-ref": kind` (their
value, or each item of their list, is such an id) or `"x-ref-key": kind` (the keys of their
mapping are), so the editor offers a picker instead of free text and a reference cannot dangle.
Each field's description comes from the model's docstring or the field's own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from app.content.schema import DelegationsFile, InjectsFile, ScenarioFile

# (model, field) -> kind of id the field refers to.
REFS: dict[tuple[str, str], str] = {
    ("Move", "challenge"): "challenge",
    ("DebriefQuestion", "challenge"): "challenge",
    ("DebriefQuestion", "theory"): "theory",
    ("Track", "injects"): "inject",
    ("Indicator", "owner"): "delegation",
    ("RedLine", "options"): "option",
    ("BriefingUpdate", "move"): "move",
    ("Clause", "option"): "option",
    ("Clause", "by"): "delegation",
    ("Clause", "indicator"): "indicator",
    ("Clause", "inject"): "inject",
    ("ReactsTo", "options"): "option",
    ("ReactsTo", "by"): "delegation",
    ("Inject", "move"): "move",
    ("Inject", "challenge"): "challenge",
    ("Inject", "sources"): "source",
    ("Inject", "audience"): "delegation",
}
# (model, field) -> kind of id the keys of the field's mapping are.
KEY_REFS: dict[tuple[str, str], str] = {
    ("Track", "move_minutes"): "move",
    ("Scoring", "options"): "option",
    ("ResponseOption", "effects"): "indicator",
    ("ResponseOption", "unilateral_effects"): "indicator",
}
FILES = {
    "scenario.yaml": ScenarioFile,
    "delegations.yaml": DelegationsFile,
    "injects.yaml": InjectsFile,
}


def _annotate(schema: dict[str, Any], model_name: str) -> None:
    # JSON answers sort their keys: the form lays fields out in the format's own order.
    if "properties" in schema:
        schema["x-order"] = list(schema["properties"])
    for field, prop in schema.get("properties", {}).items():
        if (model_name, field) in REFS:
            prop["x-ref"] = REFS[(model_name, field)]
        if (model_name, field) in KEY_REFS:
            prop["x-ref-key"] = KEY_REFS[(model_name, field)]


@lru_cache(maxsize=1)
def file_schemas() -> dict[str, Any]:
    """{file name: JSON Schema} of the three files, with x-ref annotations."""
    out: dict[str, Any] = {}
    for name, model in FILES.items():
        schema = model.model_json_schema()
        for def_name, definition in schema.get("$defs", {}).items():
            _annotate(definition, def_name)
        _annotate(schema, model.__name__)
        out[name] = schema
    return out
