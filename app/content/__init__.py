"""Scenarios: the schema of the YAML files, and a loader that validates them with plain messages.

Pure Python (pydantic and PyYAML only): no Flask, Socket.IO or SQLAlchemy here.
The format is described for authors in docs/scenario-format.md.
"""

from app.content.loader import (
    content_hash,
    discover_scenarios,
    load_scenario,
    load_scenario_from_texts,
    scenario_files,
    validate_scenario,
)
from app.content.problems import ScenarioInvalid, ScenarioProblem
from app.content.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioInvalid",
    "ScenarioProblem",
    "content_hash",
    "discover_scenarios",
    "load_scenario",
    "load_scenario_from_texts",
    "scenario_files",
    "validate_scenario",
]
