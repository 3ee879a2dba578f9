"""Round-trip YAML edits: what an edit does not touch stays byte for byte as the author wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import FILE_NAMES
from app.content.roundtrip import EditError, apply_ops, set_fields

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [
    ROOT / "game_content" / "scenarios" / "trilateral-2023",
    ROOT / "tests" / "fixtures" / "scenarios" / "branching-demo",
    ROOT / "app" / "content" / "template",
]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
@pytest.mark.parametrize("name", FILE_NAMES)
def test_an_edit_that_changes_nothing_changes_no_byte(folder, name):
    """Is every scenario file written back byte-equal when an edit sets a field to its value?"""
    text = (folder / name).read_text()
    top = {"scenario.yaml": "id", "delegations.yaml": "delegations", "injects.yaml": "injects"}
    if name == "scenario.yaml":
        assert set_fields(text, version=int(text.split("\nversion: ")[1].split("\n")[0])) == text
    files = {name: text}
    from app.content.yamltree import parse

    value = parse(text)[1][top[name]]
    if isinstance(value, list):
        ops = [{"file": name, "path": [top[name], 0], "op": "delete"}]
        removed = apply_ops(files, ops)[name]
        assert removed != text
    assert (
        apply_ops(files, [{"file": name, "path": ["zz"], "op": "set", "value": 1}])[name]
        == text + "zz: 1\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "# top\na:\n- x   # first\n- y\nb:\n    c: 1\n",
        "a:\n    - x\nb:\n  c: 1  # kept\n",
        "a:\n  - b: 1\n    c: 'quoted'\n  - b: 2\n    c: \"double\"\n",
    ],
)
def test_other_indentation_styles_are_kept(text):
    out = apply_ops({"f": text}, [{"file": "f", "path": ["new"], "op": "set", "value": [1, 2]}])
    assert out["f"].startswith(text)


def test_multi_line_text_is_written_as_a_block():
    out = apply_ops(
        {"f": "a: 1\n"}, [{"file": "f", "path": ["body"], "op": "set", "value": "One.\nTwo."}]
    )
    assert out["f"] == "a: 1\nbody: |\n  One.\n  Two.\n"


def test_an_unreadable_file_cannot_be_edited():
    with pytest.raises(EditError, match="not readable YAML"):
        apply_ops({"f": "a: [1\n"}, [{"file": "f", "path": ["a"], "op": "set", "value": 2}])
