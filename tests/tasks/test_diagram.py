"""docs/workflow.md is the transition table as it is in the code."""

from __future__ import annotations

from pathlib import Path

from luoshi.tasks.diagram import markdown
from luoshi.tasks.workflow import TRANSITIONS


def test_the_documented_workflow_is_the_table() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
    assert doc.read_text(encoding="utf-8") == markdown(), "run: luoshi workflow > docs/workflow.md"
    for t in TRANSITIONS:
        assert f"{t.source} --> {t.target}: {t.action}" in markdown()
