"""Normalization against the shared corpus's clean texts (skipped where the corpus is absent).

The seed must come out exactly; every dev file must match its clean text with no differing
character, as the shared scorer counts them (whitespace and punctuation width ignored).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi.text.normalize import normalize

SHARED = Path(__file__).resolve().parents[3] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
MAX_ERRORS = 0  # per dev file


def corpus(name: str) -> Path:
    folder = SHARED / "corpus" / name
    if not (folder / "raw").is_dir() or not (folder / "clean").is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    return folder


def test_seed_is_exact() -> None:
    folder = corpus("seed")
    n = normalize((folder / "raw" / "seed.txt").read_bytes())
    clean = (folder / "clean" / "seed.txt").read_text(encoding="utf-8")
    assert n.text.rstrip("\n") == clean.rstrip("\n")
    lost = [r for r in n.repairs if r.kind == "lost_character"]
    assert [n.text[slice(*r.text_span)] for r in lost] == ["的", "报"]
    assert len(n.warnings) == 2


def test_dev_matches_its_clean_texts(tmp_path: Path) -> None:
    folder = corpus("dev")
    if not SCORER.exists():
        pytest.skip(f"scorer not found at {SCORER}")
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for raw in sorted((folder / "raw").glob("*.txt")):
            n = normalize(raw.read_bytes())
            row = {"file": str(raw), "text": n.text, "encoding": n.encoding}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = subprocess.run(
        [sys.executable, str(SCORER), str(folder), "--pred", str(pred), "--json"],
        capture_output=True, text=True, check=False,
    ).stdout
    result = json.loads(out[: out.rindex("}") + 1])
    errors = {name: doc["clean_text.errors"] for name, doc in result["per_doc"].items()}
    assert errors and all(e <= MAX_ERRORS for e in errors.values()), errors


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("xwlb-2015-stateco-water", "gb18030"), ("xwlb-2012-flood-inspect", "big5"),
     ("xwlb-2014-shanxi-deleg", "utf-16")],
)
def test_dev_encodings_are_detected(name: str, encoding: str) -> None:
    folder = corpus("dev")
    n = normalize((folder / "raw" / f"{name}.txt").read_bytes())
    assert n.encoding == encoding
    assert n.text == (folder / "clean" / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
