"""Plain data types shared by the text pipeline (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luoshi.text.offsets import OffsetMap

Span = tuple[int, int]  # [start, end) Python string offsets


@dataclass(frozen=True)
class Repair:
    """One change the repair step made (or could not make) to the decoded text."""

    kind: str  # "pinyin_annotation" | "lost_character" | "unrecoverable"
    raw_span: Span  # offsets into the decoded raw text
    text_span: Span  # offsets into the normalized text
    detail: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "raw_span": list(self.raw_span),
            "text_span": list(self.text_span),
            "detail": self.detail,
        }


@dataclass
class Normalized:
    """The result of normalization: clean text plus everything needed to trace it back."""

    raw_text: str  # the decoded bytes, unchanged
    encoding: str  # the codec the bytes were decoded with
    text: str  # repaired, converted, typeset
    offsets: OffsetMap  # text offsets -> raw_text offsets
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> Span:
        """The span of ``raw_text`` that the span [start, end) of ``text`` came from."""
        return self.offsets.to_raw_span(start, end)
