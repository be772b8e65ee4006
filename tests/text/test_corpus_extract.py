"""The quality bars of issues 2 and 16, measured by the shared scorer on the shared corpus.

The corpus lives beside the project (../shared); where it is absent these tests skip.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
CMD = f"{sys.executable} -m luoshi.cli extract --json"


def score(corpus: str) -> dict:
    folder = SHARED / "corpus" / corpus
    if not (SCORER.exists() and folder.exists()):
        pytest.skip(f"shared corpus not found at {folder}")
    out = subprocess.run(
        [sys.executable, str(SCORER), str(folder), "--cmd", CMD, "--json"],
        capture_output=True, text=True, check=True,
    )
    # the scorer prints its JSON object, then a last line with the overall figure
    return json.JSONDecoder().raw_decode(out.stdout)[0]


def test_seed_is_extracted_exactly() -> None:
    result = score("seed")
    doc = result["per_doc"]["seed"]
    assert doc["clean_text"] >= 0.995
    assert doc["clean_text.errors"] == 0
    for field in ("leaders.f1", "attendees.f1", "speakers.f1", "topics.f1", "places.f1", "methods.f1",
                  "date", "directives.count", "directives.f1", "directives.headline", "directives.text"):
        assert doc[field] == 1.0, field


def test_dev_corpus_meets_the_bar() -> None:
    summary = score("dev")["summary"]
    assert summary["overall"] >= 0.95
    assert summary["directives.f1"] >= 0.95
    assert summary["clean_text"] >= 0.995


def test_local_reports_meet_the_bar() -> None:
    """Real county, city and town reports as found on the web (issue 16)."""
    summary = score("local")["summary"]
    assert summary["overall"] >= 0.92
    assert summary["directives.f1"] >= 0.92
