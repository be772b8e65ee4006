"""Bytes in, the object of EXTRACTION.md out: normalize, then extract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.text.extract import Extraction, extract
from luoshi.text.normalize import normalize
from luoshi.text.types import Normalized


@dataclass
class Processed:
    normalized: Normalized
    extraction: Extraction
    warnings: list[str]

    def as_dict(self, file: str | None = None, *, explain: bool = False) -> dict:
        """The object of EXTRACTION.md; with ``explain``, also why each candidate directive was
        kept or dropped (key ``explain``, last)."""
        out: dict = {"file": file} if file is not None else {}
        out["encoding"] = self.normalized.encoding
        out["text"] = self.normalized.text
        out.update(self.extraction.as_dict())
        out["repairs"] = [r.as_dict() for r in self.normalized.repairs]
        out["warnings"] = self.warnings
        if explain:
            out["explain"] = self.extraction.explain
        return out


def process(data: bytes, *, script: str = "t2s", today: dt.date | None = None, name: str | None = None) -> Processed:
    """Normalize ``data`` and extract from it. Raises NormalizeError for unusable input.

    ``name``: the file's name, where known (a .wps and a .doc have the same first bytes)."""
    norm = normalize(data, script=script, name=name)
    ex = extract(norm.text, today=today)
    warnings = list(norm.warnings) + ex.warnings
    if ex.year is None and any(d.deadline for d in ex.directives):
        year = (today or dt.date.today()).year
        warnings.append(f"the text does not give its year; deadlines assume {year}")
    return Processed(norm, ex, warnings)
